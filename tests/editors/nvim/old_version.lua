-- Neovim 0.7 (Debian bookworm's): the plugin must refuse with a clear message and start nothing.
--   REFRAME_NVIM_PLUGIN=editors/nvim nvim --headless -u NONE -i NONE -n -c 'luafile tests/editors/nvim/old_version.lua'
local function out(s) io.stdout:write(s .. '\n'); io.stdout:flush() end
local ok, err = pcall(function()
  vim.opt.runtimepath:prepend(assert(vim.env.REFRAME_NVIM_PLUGIN, 'REFRAME_NVIM_PLUGIN not set'))
  local v = vim.version()
  out(string.format('nvim %d.%d.%d', v.major, v.minor, v.patch))
  local seen = {}
  vim.notify = function(msg, level) seen[#seen + 1] = { msg = msg, level = level } end
  local r = require('reframe').setup({})
  assert(r == false, 'setup() should return false on Neovim < 0.8, got ' .. tostring(r))
  assert(#seen == 1, 'expected exactly one notification, got ' .. #seen)
  out('MESSAGE: ' .. seen[1].msg)
  assert(seen[1].level == vim.log.levels.ERROR, 'message level should be ERROR')
  assert(seen[1].msg:find('needs Neovim 0.8 or newer', 1, true), 'message says which version is needed')
  assert(seen[1].msg:find(string.format('%d.%d.%d', v.major, v.minor, v.patch), 1, true), 'message names this version')
  -- nothing started: open a markdown file, no client appears
  vim.cmd('edit ' .. vim.fn.tempname() .. '.md')
  vim.bo.filetype = 'markdown'
  vim.wait(300)
  assert(#vim.lsp.get_active_clients() == 0, 'no LSP client should be running')
  -- :checkhealth reframe reports the same error
  local health = require('reframe').supported()
  assert(health == false)
end)
if ok then out('PASS: nvim old-version message'); vim.cmd('qall!')
else out('FAIL: ' .. tostring(err)); vim.cmd('cquit! 1') end
