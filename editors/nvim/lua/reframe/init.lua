-- Reframe for Neovim: runs `reframe lsp` for Markdown, plain text and git commit messages.
--
--   require('reframe').setup({
--     cmd = { 'reframe', 'lsp' },               -- default: $REFRAME_BIN, Mason's reframe, or PATH's
--     filetypes = { 'markdown', 'text', 'gitcommit' },
--     settings = { severity = { casual = 'hint' }, allow = { 'treatment-resistant' } },
--     inlay_hints = true,                        -- `→ reframe` after each flagged phrase (0.10+)
--     virtual_text = true,                       -- show Reframe's diagnostics as virtual text
--   })
--
-- Neovim 0.11+: configures `vim.lsp.config('reframe', ...)` (base: lsp/reframe.lua) and
-- calls `vim.lsp.enable('reframe')`. Neovim 0.8-0.10: starts the server with `vim.lsp.start`
-- from a FileType autocmd. Neovim 0.7 and older: not supported; setup() says so and does nothing.
-- Quick fixes use the built-in code action UI (`gra` on 0.11+, or vim.lsp.buf.code_action()).
local M = {}

M.name = 'reframe'
M.min_version = { 0, 8, 0 }

local defaults = {
  cmd = nil, -- computed: { $REFRAME_BIN or 'reframe', 'lsp' }
  filetypes = { 'markdown', 'text', 'gitcommit' },
  root_markers = { '.reframe.toml', '.git' },
  -- Server settings, same keys as the VS Code extension and `.reframe.toml`:
  -- enable, severity, disable, allow, rules, inlayHints, languages, quotes, debounceMs,
  -- unsafeFixes.
  settings = {},
  inlay_hints = true,
  virtual_text = true,
  on_attach = nil, -- function(client, bufnr)
  capabilities = nil,
  autostart = true,
}

M.config = nil

local function version_string()
  local v = vim.version()
  return string.format('%d.%d.%d', v.major, v.minor, v.patch)
end

--- true when this Neovim can run the plugin; otherwise false and a message.
function M.supported()
  if vim.fn.has('nvim-0.8') == 1 then return true end
  return false, string.format(
    'reframe.nvim needs Neovim 0.8 or newer (this is %s). Upgrade Neovim, or use another editor; '
      .. 'the `reframe check` command works everywhere.', version_string())
end

--- The `reframe` that Mason installed (`:MasonInstall reframe-lint`), if any. Looked up by path
--- because Mason's bin folder is on PATH only after mason.nvim's own setup has run.
function M.mason_bin()
  local dir = vim.fn.stdpath('data') .. '/mason/bin/'
  for _, name in ipairs({ 'reframe', 'reframe.cmd', 'reframe.exe' }) do
    if vim.fn.executable(dir .. name) == 1 then return dir .. name end
  end
  return nil
end

local function default_cmd()
  local bin = vim.env.REFRAME_BIN
  if bin == nil or bin == '' then bin = M.mason_bin() or 'reframe' end
  return { bin, 'lsp' }
end

--- The server settings the plugin sends: `settings.reframe` and initializationOptions.
local function server_settings(opts)
  local s = vim.deepcopy(opts.settings or {})
  if opts.inlay_hints == false and s.inlayHints == nil then s.inlayHints = false end
  -- an empty Lua table would go out as the JSON array `[]`; `enable` defaults to true anyway
  if s.enable == nil then s.enable = true end
  return s
end

local function find_root(bufnr, markers)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local start = name ~= '' and vim.fs.dirname(name) or vim.loop.cwd()
  local found = vim.fs.find(markers, { path = start, upward = true })[1]
  return found and vim.fs.dirname(found) or start
end

local function on_attach(client, bufnr)
  local opts = M.config
  if opts.virtual_text and vim.lsp.diagnostic and vim.lsp.diagnostic.get_namespace then
    -- Neovim 0.11+ turned virtual text off by default; turn it on for Reframe's namespaces only.
    for _, is_pull in ipairs({ false, true }) do
      local ok, ns = pcall(vim.lsp.diagnostic.get_namespace, client.id, is_pull)
      if ok and ns then vim.diagnostic.config({ virtual_text = true }, ns) end
    end
  end
  if opts.inlay_hints and vim.lsp.inlay_hint and vim.lsp.inlay_hint.enable then
    -- 0.10+: enable(enable, filter); the 0.10 pre-release form was enable(bufnr, enable)
    if not pcall(vim.lsp.inlay_hint.enable, true, { bufnr = bufnr }) then
      pcall(vim.lsp.inlay_hint.enable, bufnr, true)
    end
  end
  if type(opts.on_attach) == 'function' then opts.on_attach(client, bufnr) end
end

--- The full client config (also used by :checkhealth).
function M.client_config()
  local opts = M.config or defaults
  local settings = server_settings(opts)
  return {
    name = M.name,
    cmd = opts.cmd or default_cmd(),
    filetypes = opts.filetypes,
    root_markers = opts.root_markers,
    settings = { reframe = settings },
    init_options = settings,
    capabilities = opts.capabilities,
  }
end

local function open_config()
  local clients = (vim.lsp.get_clients or vim.lsp.get_active_clients)({ name = M.name })
  local root = clients[1] and clients[1].config.root_dir or find_root(0, M.config.root_markers)
  local file = root .. '/.reframe.toml'
  if vim.fn.filereadable(file) == 0 then
    -- `reframe init` writes a commented starter .reframe.toml into the current directory
    local bin = M.client_config().cmd[1]
    local out = vim.fn.system('cd ' .. vim.fn.shellescape(root) .. ' && ' .. vim.fn.shellescape(bin) .. ' init')
    if vim.fn.filereadable(file) == 0 then
      vim.notify('reframe init failed in ' .. root .. ': ' .. out, vim.log.levels.ERROR)
      return
    end
  end
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
end

function M.setup(user)
  local ok, msg = M.supported()
  if not ok then
    vim.notify(msg, vim.log.levels.ERROR, { title = 'reframe' })
    return false
  end
  M.config = vim.tbl_deep_extend('force', vim.deepcopy(defaults), user or {})
  local opts = M.config

  vim.api.nvim_create_user_command('ReframeConfig', open_config,
    { desc = 'Open (or create) the project .reframe.toml' })
  vim.api.nvim_create_autocmd('LspAttach', {
    group = vim.api.nvim_create_augroup('reframe.attach', { clear = true }),
    callback = function(args)
      local client = vim.lsp.get_client_by_id(args.data.client_id)
      if client and client.name == M.name then on_attach(client, args.buf) end
    end,
  })

  local cfg = M.client_config()
  -- `_legacy = true` (tests only) takes the 0.8-0.10 path on a newer Neovim
  if vim.fn.has('nvim-0.11') == 1 and vim.lsp.config and vim.lsp.enable and not opts._legacy then
    -- merged over lsp/reframe.lua (this folder on 'runtimepath') by vim.lsp.config
    vim.lsp.config(M.name, {
      cmd = cfg.cmd,
      filetypes = cfg.filetypes,
      -- the nearest folder with a root marker, else the file's folder: the server always
      -- gets a workspace folder to look for .reframe.toml in
      root_dir = function(bufnr, on_dir) on_dir(find_root(bufnr, cfg.root_markers)) end,
      settings = cfg.settings,
      init_options = cfg.init_options,
      capabilities = cfg.capabilities,
    })
    if opts.autostart then vim.lsp.enable(M.name) end
    return true
  end

  -- Neovim 0.8-0.10
  local group = vim.api.nvim_create_augroup('reframe.start', { clear = true })
  local function start(bufnr)
    if vim.bo[bufnr].buftype ~= '' then return end
    local c = M.client_config()
    c.root_dir = find_root(bufnr, c.root_markers)
    c.root_markers, c.filetypes = nil, nil
    c.capabilities = c.capabilities or vim.lsp.protocol.make_client_capabilities()
    vim.lsp.start(c, { bufnr = bufnr })
  end
  if opts.autostart then
    vim.api.nvim_create_autocmd('FileType', {
      group = group,
      pattern = opts.filetypes,
      callback = function(args) start(args.buf) end,
    })
    -- buffers that are already open
    for _, b in ipairs(vim.api.nvim_list_bufs()) do
      if vim.api.nvim_buf_is_loaded(b) and vim.tbl_contains(opts.filetypes, vim.bo[b].filetype) then start(b) end
    end
  end
  M.start = start
  return true
end

return M
