-- Headless end-to-end test of editors/nvim against the real `reframe lsp` (Neovim 0.10+).
--   REFRAME_BIN=... REFRAME_NVIM_PLUGIN=editors/nvim REFRAME_TEST_DIR=/tmp/x \
--   nvim --headless -u NONE -i NONE -n -c 'luafile tests/editors/nvim/e2e.lua'
-- Checks: the plugin's setup() starts the server on a Markdown buffer (FileType), diagnostics
-- arrive with correct columns on a line with an emoji, hover explains, inlay hints show
-- `→ …`, the preferred "Reframe as “X”" quick fix applied with vim.lsp.buf.code_action{apply=true}
-- puts X into the file on disk, and the diagnostic goes away; "Allow “…” in this workspace",
-- chosen twice, writes .reframe.toml once without leaving a buffer and the warning goes;
-- a missing server binary is a message on screen.
-- Exit code 0 = pass, 1 = fail. Prints CHECK lines as it goes.

local function out(...)
  local parts = {}
  for i = 1, select('#', ...) do parts[#parts + 1] = tostring(select(i, ...)) end
  io.stdout:write(table.concat(parts, ' ') .. '\n')
  io.stdout:flush()
end

local function finish(ok, msg)
  out((ok and 'PASS: ' or 'FAIL: ') .. msg)
  pcall(function()
    for _, c in pairs(vim.lsp.get_clients()) do vim.lsp.stop_client(c.id) end
    vim.wait(3000, function() return next(vim.lsp.get_clients()) == nil end, 20)
  end)
  vim.cmd(ok and 'qall!' or 'cquit! 1')
end

local function check(cond, what)
  if not cond then error('check failed: ' .. what, 2) end
  out('CHECK ok:', what)
end

local ok_all, err = xpcall(function()
  local plugin = assert(vim.env.REFRAME_NVIM_PLUGIN, 'REFRAME_NVIM_PLUGIN not set')
  local bin = assert(vim.env.REFRAME_BIN, 'REFRAME_BIN not set')
  local dir = assert(vim.env.REFRAME_TEST_DIR, 'REFRAME_TEST_DIR not set')
  vim.opt.runtimepath:prepend(plugin)
  vim.cmd('filetype on')
  local v = vim.version()
  out(string.format('nvim %d.%d.%d, server %s', v.major, v.minor, v.patch, bin))

  vim.fn.mkdir(dir, 'p')
  local file = dir .. '/note.md'
  local plain = 'The client is resistant to change.'
  local emoji = '😀 ' .. plain -- U+1F600: 4 bytes in UTF-8, 2 units in UTF-16
  vim.fn.writefile({ '# Session note', '', plain, emoji, '' }, file)
  local PLAIN, EMOJI = 2, 3 -- 0-based line numbers

  assert(require('reframe').setup({}) == true, 'setup() returned false')
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  check(vim.bo[bufnr].filetype == 'markdown', 'filetype markdown')

  local client
  check(vim.wait(15000, function()
    client = vim.lsp.get_clients({ bufnr = bufnr, name = 'reframe' })[1]
    return client ~= nil and client.initialized == true
  end, 20), 'client "reframe" attached and initialized')
  local enc = client.offset_encoding
  local info = client.server_info or {}
  out('server:', tostring(info.name), tostring(info.version), 'offset_encoding:', enc)
  if v.minor >= 10 or v.major > 0 then
    check(enc == 'utf-8', 'utf-8 position encoding negotiated (Neovim offers it)')
  end

  -- 1. diagnostics on both lines
  local function reframe_diags(lnum)
    local res = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr, { lnum = lnum })) do
      if d.source == 'reframe' then res[#res + 1] = d end
    end
    table.sort(res, function(a, b) return a.col < b.col end)
    return res
  end
  check(vim.wait(15000, function() return #reframe_diags(PLAIN) > 0 and #reframe_diags(EMOJI) > 0 end, 20),
    'diagnostics from source "reframe" on the plain and the emoji line')
  local dp, de = reframe_diags(PLAIN)[1], reframe_diags(EMOJI)[1]
  for _, d in ipairs({ dp, de }) do
    out(string.format('DIAG %d:%d-%d:%d sev=%s code=%s msg=%s', d.lnum, d.col, d.end_lnum, d.end_col,
      tostring(d.severity), tostring(d.code), d.message))
  end
  local vt = vim.diagnostic.config(nil, de.namespace).virtual_text
  check(vt == true or type(vt) == 'table', 'virtual text on for Reframe\'s diagnostic namespace')
  local phrase = plain:sub(dp.col + 1, dp.end_col)
  out('flagged phrase:', vim.inspect(phrase))
  check(phrase:find('resistant', 1, true) ~= nil, 'flagged text contains "resistant"')
  check(dp.code == de.code, 'same rule on both lines')
  -- Neovim columns are bytes: the emoji line is shifted by 5 bytes ("😀 ")
  check(de.col == dp.col + 5 and de.end_col == dp.end_col + 5,
    string.format('emoji line columns shifted by 5 bytes (%d-%d vs %d-%d)', de.col, de.end_col, dp.col, dp.end_col))
  check(emoji:sub(de.col + 1, de.end_col) == phrase, 'emoji line range covers the same phrase')
  -- the raw LSP range is in the negotiated encoding: utf-8 +5, utf-16 +3, utf-32 +2
  local raw_p = dp.user_data and dp.user_data.lsp and dp.user_data.lsp.range
  local raw_e = de.user_data and de.user_data.lsp and de.user_data.lsp.range
  if raw_p and raw_e then
    local shift = ({ ['utf-8'] = 5, ['utf-16'] = 3, ['utf-32'] = 2 })[enc]
    out('raw LSP start characters:', raw_p.start.character, raw_e.start.character, enc)
    check(raw_e.start.character - raw_p.start.character == shift,
      'raw LSP columns use the negotiated ' .. enc .. ' encoding (shift ' .. shift .. ')')
  end

  -- 2. hover explains
  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = EMOJI, character = raw_e and raw_e.start.character + 1 or de.col + 1 },
  }, 10000)
  local htext = ''
  for _, r in pairs(hover or {}) do
    local c = r.result and r.result.contents
    if type(c) == 'table' then htext = htext .. (c.value or vim.inspect(c)) elseif c then htext = htext .. c end
  end
  out('HOVER:', (htext:gsub('\n', ' | ')):sub(1, 300))
  check(#htext > 20, 'hover on the emoji line returns an explanation')

  -- 3. inlay hints: `→ X` at the end of the flagged phrase's line
  local hints = {}
  if vim.lsp.inlay_hint and vim.lsp.inlay_hint.get then
    check(vim.lsp.inlay_hint.is_enabled({ bufnr = bufnr }), 'inlay hints enabled by setup()')
    vim.wait(10000, function()
      hints = vim.lsp.inlay_hint.get({ bufnr = bufnr })
      return #hints >= 2
    end, 50)
    local emoji_hint
    for _, h in ipairs(hints) do
      local label = h.inlay_hint.label
      if type(label) == 'table' then
        local s = ''
        for _, part in ipairs(label) do s = s .. part.value end
        label = s
      end
      out(string.format('HINT %d:%d %s', h.inlay_hint.position.line, h.inlay_hint.position.character, label))
      if h.inlay_hint.position.line == EMOJI then emoji_hint = { h.inlay_hint.position, label } end
    end
    check(emoji_hint ~= nil, 'inlay hint on the emoji line')
    check(emoji_hint[2]:find('^%s*→ ') ~= nil, 'inlay hint label starts with "→ "')
    if enc == 'utf-8' then
      -- at the end of the line, where it does not split the sentence
      check(emoji_hint[1].character == #emoji, 'inlay hint placed at the end of the line')
    end
  else
    out('SKIP inlay hints: Neovim < 0.10')
  end

  -- 4. quick fix on the emoji line, through the same path as `gra`
  vim.api.nvim_win_set_cursor(0, { EMOJI + 1, de.col + 1 })
  local params = vim.lsp.util.make_range_params(0, enc)
  params.context = { diagnostics = { de.user_data.lsp }, only = { 'quickfix' } }
  local res = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 10000)
  local titles, reframe_title, preferred = {}, nil, nil
  for _, r in pairs(res or {}) do
    check(r.err == nil, 'codeAction without error')
    for _, a in ipairs(r.result or {}) do
      titles[#titles + 1] = a.title
      if a.title:find('^Reframe as “') then
        reframe_title = reframe_title or a.title
        if a.isPreferred and not preferred then preferred = a.title end
      end
    end
  end
  out('ACTIONS:', table.concat(titles, ' || '))
  check(reframe_title ~= nil, 'a "Reframe as “…”" quick fix is offered')
  check(preferred == reframe_title, 'the first "Reframe as" action is the preferred one')
  -- A suggestion's title goes on: 'Reframe as “…” (suggestion: check it keeps your meaning)'.
  local x = reframe_title:match('^Reframe as “(.-)”')
  check(x ~= nil and #x > 0, 'replacement text parsed from the title: ' .. tostring(x))
  local has_ignore = false
  for _, t in ipairs(titles) do if t == 'Ignore here' then has_ignore = true end end
  check(has_ignore, '"Ignore here" offered')

  vim.lsp.buf.code_action({
    apply = true,
    context = { only = { 'quickfix' } },
    filter = function(a) return a.title == reframe_title end,
  })
  local function line(n) return vim.api.nvim_buf_get_lines(bufnr, n, n + 1, false)[1] end
  local prefix = emoji:sub(1, de.col)
  check(vim.wait(10000, function() return line(EMOJI) ~= emoji end, 20), 'buffer changed by the quick fix')
  out('LINE after fix:', line(EMOJI))
  check(line(EMOJI):sub(1, #prefix) == prefix, 'text before the phrase unchanged')
  check(line(EMOJI):find(x, 1, true) ~= nil, 'reframe "' .. x .. '" now in the line')
  check(line(EMOJI):find(phrase, 1, true) == nil, 'flagged phrase gone from the line')
  check(line(PLAIN) == plain, 'the other line is untouched')

  vim.cmd('silent write')
  local disk = vim.fn.readfile(file)
  check(disk[EMOJI + 1] == line(EMOJI), 'file on disk has the fix: ' .. disk[EMOJI + 1])

  check(vim.wait(10000, function() return #reframe_diags(EMOJI) == 0 end, 20), 'diagnostic on the fixed line cleared')
  check(#reframe_diags(PLAIN) > 0, 'diagnostic on the untouched line still there')

  -- 5. "Allow “…” in this workspace", chosen twice from the same menu: the server writes
  -- .reframe.toml itself, once, opens no buffer for it, and the warning goes without a restart.
  local cfg = dir .. '/.reframe.toml'
  check(vim.fn.filereadable(cfg) == 0, 'no .reframe.toml before')
  vim.api.nvim_win_set_cursor(0, { PLAIN + 1, dp.col + 1 })
  local aparams = vim.lsp.util.make_range_params(0, enc)
  aparams.context = { diagnostics = { dp.user_data.lsp }, only = { 'quickfix' } }
  local ares = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', aparams, 10000)
  local allow
  for _, r in pairs(ares or {}) do
    for _, a in ipairs(r.result or {}) do
      if a.title:find('^Allow “') then allow = a end
    end
  end
  check(allow ~= nil, 'an "Allow “…” in this workspace" action is offered')
  out('ALLOW:', allow.title)
  for _ = 1, 2 do
    vim.lsp.buf.code_action({
      apply = true,
      context = { only = { 'quickfix' }, diagnostics = { dp.user_data.lsp } },
      filter = function(a) return a.title == allow.title end,
    })
    -- the same action again, as from a menu opened before the first one took effect
    if allow.command then
      client:exec_cmd(allow.command, { bufnr = bufnr })
    end
  end
  check(vim.wait(10000, function() return vim.fn.filereadable(cfg) == 1 end, 20), '.reframe.toml written to disk')
  vim.wait(500)
  local written = table.concat(vim.fn.readfile(cfg), '\n')
  out('CONFIG:', (written:gsub('\n', ' | ')))
  local phrase_lower = phrase:lower()
  local _, count = written:gsub(vim.pesc('"' .. phrase_lower .. '"'), '')
  check(count == 1, 'the phrase is in .reframe.toml exactly once (chosen twice)')
  check(vim.fn.bufnr(cfg) == -1, 'no buffer, hidden or not, holds .reframe.toml')
  local modified = {}
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.bo[b].modified then modified[#modified + 1] = vim.api.nvim_buf_get_name(b) end
  end
  check(#modified == 0, 'no modified buffer left behind (:q works): ' .. table.concat(modified, ', '))
  check(vim.wait(10000, function() return #reframe_diags(PLAIN) == 0 end, 20),
    'the allowed phrase\'s warning goes without a restart')

  -- 6. :checkhealth reframe and the help file
  vim.cmd('checkhealth reframe')
  local health = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  out('HEALTH:', (health:gsub('\n+', ' | ')))
  check(health:find(vim.fn.exepath(bin), 1, true) ~= nil, 'checkhealth shows the server path')
  check(health:find('client %d+ running') ~= nil, 'checkhealth shows the running client')
  check(health:find('ERROR') == nil, 'checkhealth reports no ERROR')
  local docdir = dir .. '/helpdoc'
  vim.fn.mkdir(docdir .. '/doc', 'p')
  vim.fn.writefile(vim.fn.readfile(plugin .. '/doc/reframe.txt'), docdir .. '/doc/reframe.txt')
  vim.cmd('helptags ' .. vim.fn.fnameescape(docdir .. '/doc'))
  vim.opt.runtimepath:prepend(docdir)
  vim.cmd('help reframe.setup()')
  check(vim.fn.expand('%:t') == 'reframe.txt', ':help reframe.setup() opens doc/reframe.txt')

  -- 7. a server command that cannot run is a message on screen, not silence
  vim.cmd('messages clear')
  require('reframe').setup({ cmd = { dir .. '/no-such-reframe', 'lsp' }, autostart = false })
  vim.cmd('edit ' .. vim.fn.fnameescape(dir .. '/other.md'))
  local messages = vim.fn.execute('messages')
  out('MESSAGES:', (messages:gsub('\n', ' | ')))
  check(messages:find('no-such-reframe` was not found', 1, true) ~= nil,
    'a missing server binary is reported on screen, naming the command')
end, debug.traceback)

if ok_all then finish(true, 'nvim e2e') else finish(false, tostring(err)) end
