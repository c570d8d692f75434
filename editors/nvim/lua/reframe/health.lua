-- :checkhealth reframe
local M = {}

local h = vim.health or {}
local start = h.start or h.report_start
local ok = h.ok or h.report_ok
local warn = h.warn or h.report_warn
local err = h.error or h.report_error
local info = h.info or h.report_info

function M.check()
  start('reframe')
  local reframe = require('reframe')
  local supported, msg = reframe.supported()
  if supported then
    ok('Neovim ' .. tostring(vim.version()))
  else
    err(msg)
    return
  end

  if reframe.config == nil then
    warn("setup() has not been called: add require('reframe').setup() to your config "
      .. "(or call vim.lsp.enable('reframe') on Neovim 0.11+)")
  else
    ok('setup() called; filetypes: ' .. table.concat(reframe.config.filetypes, ', '))
  end

  local cmd = reframe.client_config().cmd
  local bin = cmd[1]
  local path = vim.fn.exepath(bin)
  if path == '' then
    err(string.format('`%s` not found or not executable', bin), {
      'Install it with Mason (`:MasonInstall reframe-lint`), `pip install reframe-lint` or `cargo install reframe-lint`',
      'or point the plugin at it: setup({ cmd = { "/path/to/reframe", "lsp" } }) or $REFRAME_BIN',
    })
  else
    local version = vim.fn.system({ path, '--version' }):gsub('%s+$', '')
    if vim.v.shell_error == 0 then
      ok(string.format('server: %s (%s)', path, version))
    else
      warn(string.format('%s --version failed: %s', path, version))
    end
  end

  local get = vim.lsp.get_clients or vim.lsp.get_active_clients
  local clients = get({ name = reframe.name })
  if #clients == 0 then
    info('no Reframe client running (it starts when a markdown/text/gitcommit buffer opens)')
  end
  for _, c in ipairs(clients) do
    local buffers = vim.tbl_keys(c.attached_buffers or {})
    ok(string.format('client %d running: root %s, position encoding %s, %d buffer(s)',
      c.id, tostring(c.config.root_dir), tostring(c.offset_encoding), #buffers))
  end
end

return M
