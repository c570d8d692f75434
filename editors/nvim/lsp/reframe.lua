-- Base config for the Reframe language server (Neovim 0.11+):
--   vim.lsp.enable('reframe')
-- works once this folder (editors/nvim) is on 'runtimepath', or when this file is copied
-- to ~/.config/nvim/lsp/reframe.lua. `require('reframe').setup{}` adds inlay hints,
-- virtual text and :ReframeConfig on top. Override anything with vim.lsp.config('reframe', {...}).
-- The server: $REFRAME_BIN, else the one Mason installed (`:MasonInstall reframe-lint`), else
-- `reframe` on PATH.
local bin = vim.env.REFRAME_BIN
if bin == nil or bin == '' then
  local mason = vim.fn.stdpath('data') .. '/mason/bin/reframe'
  bin = vim.fn.executable(mason) == 1 and mason or 'reframe'
end

---@type vim.lsp.Config
return {
  cmd = { bin, 'lsp' },
  -- Neovim sends the filetype as the languageId; the server checks these by default.
  filetypes = { 'markdown', 'text', 'gitcommit' },
  root_markers = { '.reframe.toml', '.git' },
  -- Server settings (see :help reframe-settings), answered to the server's
  -- workspace/configuration request for the section "reframe" and sent as
  -- initializationOptions. Never leave them empty: Neovim encodes an empty Lua table as a
  -- JSON array, not an object, so `enable = true` (the default anyway) stays in.
  settings = { reframe = { enable = true } },
  init_options = { enable = true },
}
