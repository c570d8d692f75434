-- The Neovim 0.8-0.10 code path of setup() (FileType autocmd + vim.lsp.start), exercised on
-- the Neovim at hand with the test-only option `_legacy = true`: the client starts for a
-- text buffer, gets a root folder, settings reach the server (a disabled rule stays quiet).
local function out(s) io.stdout:write(s .. '\n'); io.stdout:flush() end
local ok, err = xpcall(function()
  vim.opt.runtimepath:prepend(assert(vim.env.REFRAME_NVIM_PLUGIN))
  vim.cmd('filetype on')
  local dir = assert(vim.env.REFRAME_TEST_DIR)
  vim.fn.mkdir(dir, 'p')
  local text = 'The client was resistant to homework and is non-compliant with meds.'
  vim.fn.writefile({ text }, dir .. '/a.txt')
  vim.fn.writefile({ text }, dir .. '/b.txt')
  -- 1. learn the rule ids with default settings
  assert(require('reframe').setup({ _legacy = true }) == true)
  vim.cmd('edit ' .. vim.fn.fnameescape(dir .. '/a.txt'))
  assert(vim.wait(15000, function() return #vim.diagnostic.get(0) >= 2 end, 20), 'no diagnostics (legacy start)')
  local c = vim.lsp.get_clients({ bufnr = 0 })[1]
  assert(c and c.name == 'reframe', 'client named reframe')
  assert(c.config.root_dir == dir, 'root_dir is the file folder, got ' .. tostring(c.config.root_dir))
  local codes = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    codes[#codes + 1] = d.code
    out(string.format('DIAG %d:%d-%d %s', d.lnum, d.col, d.end_col, tostring(d.code)))
  end
  for _, cl in pairs(vim.lsp.get_clients()) do vim.lsp.stop_client(cl.id) end
  assert(vim.wait(15000, function() return next(vim.lsp.get_clients()) == nil end, 20), 'client did not stop')
  -- 2. restart with settings.disable = { first rule }: only the other finding remains
  assert(require('reframe').setup({ _legacy = true, settings = { disable = { codes[1] } } }) == true)
  vim.cmd('edit ' .. vim.fn.fnameescape(dir .. '/b.txt'))
  assert(vim.wait(15000, function() return #vim.diagnostic.get(0) >= 1 end, 20), 'no diagnostics after restart')
  vim.wait(500)
  for _, d in ipairs(vim.diagnostic.get(0)) do
    out(string.format('DIAG %d:%d-%d %s', d.lnum, d.col, d.end_col, tostring(d.code)))
    assert(d.code ~= codes[1], 'rule ' .. tostring(codes[1]) .. ' should be disabled by settings')
  end
end, debug.traceback)
for _, c in pairs(vim.lsp.get_clients()) do vim.lsp.stop_client(c.id) end
vim.wait(2000, function() return next(vim.lsp.get_clients()) == nil end, 20)
if ok then out('PASS: nvim legacy vim.lsp.start path + settings'); vim.cmd('qall!')
else out('FAIL: ' .. tostring(err)); vim.cmd('cquit! 1') end
