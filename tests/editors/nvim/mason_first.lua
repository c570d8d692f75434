-- The plugin runs the `reframe` Mason installed (stdpath('data')/mason/bin) before the one on
-- PATH. Run with REFRAME_BIN unset, XDG_DATA_HOME in the test folder and REFRAME_MASON_SERVER
-- the real binary: Mason's bin gets a link to it, and PATH gets a decoy `reframe` that fails.
local function out(s) io.stdout:write(s .. '\n'); io.stdout:flush() end
local ok, err = xpcall(function()
  assert(vim.env.REFRAME_BIN == nil, 'run with REFRAME_BIN unset')
  local dir = assert(vim.env.REFRAME_TEST_DIR)
  local data = vim.fn.stdpath('data')
  assert(vim.startswith(data, dir), 'XDG_DATA_HOME must be inside the test folder, got ' .. data)
  vim.fn.mkdir(data .. '/mason/bin', 'p')
  local mason = data .. '/mason/bin/reframe'
  vim.fn.delete(mason)
  assert(vim.loop.fs_symlink(assert(vim.env.REFRAME_MASON_SERVER), mason), 'link ' .. mason)
  vim.fn.mkdir(dir .. '/decoy', 'p')
  vim.fn.writefile({ '#!/bin/sh', 'echo "decoy reframe on PATH" >&2', 'exit 1' }, dir .. '/decoy/reframe')
  vim.fn.setfperm(dir .. '/decoy/reframe', 'rwxr-xr-x')
  vim.env.PATH = dir .. '/decoy:' .. vim.env.PATH

  vim.opt.runtimepath:prepend(assert(vim.env.REFRAME_NVIM_PLUGIN))
  vim.cmd('filetype on')
  local reframe = require('reframe')
  assert(reframe.setup(), 'setup')
  local cmd = reframe.client_config().cmd
  out('cmd: ' .. table.concat(cmd, ' '))
  assert(cmd[1] == mason, 'expected Mason\'s reframe first, got ' .. cmd[1])
  vim.fn.writefile({ '# Note', '', 'The client was resistant to homework.' }, dir .. '/note.md')
  vim.cmd('edit ' .. vim.fn.fnameescape(dir .. '/note.md'))
  assert(vim.wait(15000, function() return #vim.diagnostic.get(0) >= 1 end, 20),
    'no diagnostics from Mason\'s reframe')
  for _, d in ipairs(vim.diagnostic.get(0)) do
    out(string.format('DIAG %d:%d-%d %s %s', d.lnum, d.col, d.end_col, tostring(d.code), d.message))
  end
  local c = vim.lsp.get_clients({ bufnr = 0 })[1]
  assert(c and c.config.cmd[1] == mason, 'the running client uses Mason\'s reframe')
end, debug.traceback)
for _, c in pairs(vim.lsp.get_clients()) do vim.lsp.stop_client(c.id) end
vim.wait(2000, function() return next(vim.lsp.get_clients()) == nil end, 20)
if ok then out('PASS: nvim finds Mason\'s reframe before PATH'); vim.cmd('qall!')
else out('FAIL: ' .. tostring(err)); vim.cmd('cquit! 1') end
