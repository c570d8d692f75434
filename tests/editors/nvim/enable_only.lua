-- Neovim 0.11+: `vim.lsp.enable('reframe')` alone (no setup()) works from lsp/reframe.lua.
local function out(s) io.stdout:write(s .. '\n'); io.stdout:flush() end
local ok, err = xpcall(function()
  vim.opt.runtimepath:prepend(assert(vim.env.REFRAME_NVIM_PLUGIN))
  vim.cmd('filetype on')
  local dir = assert(vim.env.REFRAME_TEST_DIR)
  vim.fn.mkdir(dir, 'p')
  vim.fn.writefile({ 'The client was resistant to homework and is non-compliant with meds.' }, dir .. '/plain.txt')
  vim.lsp.enable('reframe')
  vim.cmd('edit ' .. vim.fn.fnameescape(dir .. '/plain.txt'))
  assert(vim.bo.filetype == 'text', 'filetype text, got ' .. vim.bo.filetype)
  assert(vim.wait(15000, function() return #vim.diagnostic.get(0) >= 2 end, 20),
    'no diagnostics for a .txt buffer with only vim.lsp.enable("reframe")')
  for _, d in ipairs(vim.diagnostic.get(0)) do
    out(string.format('DIAG %d:%d-%d %s %s', d.lnum, d.col, d.end_col, tostring(d.code), d.message))
  end
  local c = vim.lsp.get_clients({ bufnr = 0 })[1]
  assert(c and c.name == 'reframe' and c.config.cmd[2] == 'lsp', 'client from lsp/reframe.lua')
end, debug.traceback)
for _, c in pairs(vim.lsp.get_clients()) do vim.lsp.stop_client(c.id) end
vim.wait(2000, function() return next(vim.lsp.get_clients()) == nil end, 20)
if ok then out('PASS: nvim vim.lsp.enable only'); vim.cmd('qall!')
else out('FAIL: ' .. tostring(err)); vim.cmd('cquit! 1') end
