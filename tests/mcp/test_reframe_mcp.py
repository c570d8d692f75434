"""`reframe mcp` driven by the official MCP Python SDK over stdio, as an assistant's client does.

Each test starts the server in its own temporary folder (so the `.reframe.toml` it finds is the
test's), and reads results both as structured content and as the text block clients show.
"""

import json
import os
import subprocess
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.shared.exceptions import MCPError

BIN = os.environ["REFRAME_BIN"]
REPO = Path(__file__).resolve().parents[2]
TOOLS = {"check_text", "reframe_text", "explain", "list_rules"}

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend():
    return "asyncio"


@asynccontextmanager
async def server(cwd, *args, env=None, errlog=None):
    params = StdioServerParameters(command=BIN, args=["mcp", *args], cwd=str(cwd), env=env)
    with open(os.devnull, "w") if errlog is None else open(errlog, "w") as err:
        async with stdio_client(params, errlog=err) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                yield session


async def call(session, tool, **arguments):
    """Calls a tool that must succeed; returns its structured content, checked against the
    text block the same result carries."""
    result = await session.call_tool(tool, arguments)
    assert not result.is_error, result.content
    assert json.loads(result.content[0].text) == result.structured_content
    return result.structured_content


async def call_error(session, tool, arguments):
    """Calls a tool that must fail as a tool error (isError); returns its message."""
    result = await session.call_tool(tool, arguments)
    assert result.is_error, result
    assert result.structured_content is None
    return result.content[0].text


def line_column(text, char_offset):
    """1-based line and column (in Unicode characters) of a character offset."""
    before = text[:char_offset]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


async def test_initialize_lists_four_tools_with_schemas(tmp_path):
    params = StdioServerParameters(command=BIN, args=["mcp"], cwd=str(tmp_path))
    with open(os.devnull, "w") as err:
        async with stdio_client(params, errlog=err) as (read, write):
            async with ClientSession(read, write) as session:
                info = await session.initialize()
                assert info.server_info.name == "reframe"
                assert "check_text" in info.instructions
                caps = info.capabilities
                assert caps.tools is not None and caps.prompts is not None
                assert caps.resources is not None
                tools = {t.name: t for t in (await session.list_tools()).tools}
    assert set(tools) == TOOLS
    check = tools["check_text"]
    assert "Unicode characters" in check.description and "byte offsets" in check.description
    assert check.input_schema["required"] == ["text"]
    assert set(check.input_schema["properties"]) == {"text", "format", "max_findings"}
    assert check.output_schema["required"] == ["findings", "total", "omitted", "notices"]
    assert tools["reframe_text"].input_schema["properties"]["unsafe"]["type"] == "boolean"
    assert tools["explain"].input_schema["required"] == ["rule_or_phrase"]
    assert "category" in tools["list_rules"].input_schema["properties"]
    for tool in tools.values():
        assert tool.annotations.read_only_hint is True
        assert tool.output_schema["type"] == "object"


async def test_check_text_reports_findings_with_positions(tmp_path):
    text = "Intake notes 📝\n\nThe client is non-compliant, and he committed suicide in 2019.\n"
    async with server(tmp_path) as session:
        result = await call(session, "check_text", text=text, format="text")
    assert result["total"] == len(result["findings"]) == 2 and result["omitted"] == 0
    by_rule = {f["rule"]: f for f in result["findings"]}
    assert set(by_rule) == {"non-compliant", "committed-suicide"}
    for finding in result["findings"]:
        pos = finding["position"]
        raw = text.encode()
        matched = raw[pos["start"] : pos["end"]].decode()
        assert matched == finding["matched"]
        char_start = len(raw[: pos["start"]].decode())
        assert (pos["line"], pos["column"]) == line_column(text, char_start)
        assert (pos["end_line"], pos["end_column"]) == line_column(text, char_start + len(matched))
        assert finding["severity"] == "warning" and finding["why"] and finding["message"]
    suicide = by_rule["committed-suicide"]
    assert suicide["matched"] == "committed suicide"
    assert suicide["category"] == "suicide"
    assert suicide["reframes"][0] == {"text": "died by suicide", "safe": True}
    assert suicide["position"]["line"] == 3
    assert by_rule["non-compliant"]["reframes"][0]["safe"] is False


async def test_markdown_skips_code_and_text_does_not(tmp_path):
    text = "Say `the client is non-compliant` in code.\n"
    async with server(tmp_path) as session:
        markdown = await call(session, "check_text", text=text)
        plain = await call(session, "check_text", text=text, format="text")
    assert markdown["total"] == 0
    assert [f["rule"] for f in plain["findings"]] == ["non-compliant"]


async def test_max_findings_limits_the_list_not_the_count(tmp_path):
    text = "He is non-compliant.\n\n" * 30
    async with server(tmp_path) as session:
        result = await call(session, "check_text", text=text, max_findings=5)
    assert len(result["findings"]) == 5
    assert result["total"] == 30 and result["omitted"] == 25


async def test_reframe_text_changes_what_keeps_meaning_and_lists_the_rest(tmp_path):
    text = (
        "The client is resistant to treatment.\n\n"
        "He will never recover, she supposedly said.\n\n"
        "Her brother committed suicide.\n"
    )
    async with server(tmp_path) as session:
        result = await call(session, "reframe_text", text=text, format="text")
        also_unsafe = await call(session, "reframe_text", text=text, format="text", unsafe=True)
    assert result["text"] == text.replace("committed suicide", "died by suicide")
    [change] = result["changes"]
    assert change["rule"] == "committed-suicide"
    assert (change["original"], change["replacement"]) == ("committed suicide", "died by suicide")
    assert change["position"]["start"] == text.index("committed")
    assert change["position"]["line"] == 5
    left = {j["rule"]: j["reason"] for j in result["needs_judgement"]}
    assert left == {
        "resistant-to": "not_marked_safe",
        "will-never-recover": "below_warning",
        "supposedly": "no_reframe",
    }
    for judgement in result["needs_judgement"]:
        assert judgement["why"] and judgement["message"]
    assert (result["total_changes"], result["total_needs_judgement"]) == (1, 3)
    # `unsafe` also applies the suggestion, and only that.
    assert also_unsafe["text"] == result["text"].replace("resistant to", "hesitant about")
    assert {c["rule"] for c in also_unsafe["changes"]} == {"committed-suicide", "resistant-to"}
    assert also_unsafe["total_needs_judgement"] == 2


async def test_explain_accepts_a_rule_id_or_a_phrase(tmp_path):
    async with server(tmp_path) as session:
        by_id = await call(session, "explain", rule_or_phrase="committed-suicide")
        by_phrase = await call(session, "explain", rule_or_phrase="She was a heroin addict.")
        unknown = await call_error(session, "explain", {"rule_or_phrase": "a sunny afternoon"})
    assert by_id["matched_by"] == "rule_id"
    [rule] = by_id["rules"]
    assert rule["id"] == "committed-suicide" and rule["category"] == "suicide"
    assert rule["sources"] and all(s["url"].startswith("https://") for s in rule["sources"])
    assert rule["why"] and rule["reframes"] and rule["flags"] and rule["leaves_alone"]
    assert rule["fix"] == "safe"
    assert "matched" not in rule
    assert by_phrase["matched_by"] == "phrase"
    ids = [r["id"] for r in by_phrase["rules"]]
    assert ids, by_phrase
    first = by_phrase["rules"][0]
    assert first["matched"] in "She was a heroin addict."
    assert first["reframes_for_match"] and first["sources"]
    assert "no rule" in unknown


async def test_list_rules_by_category_and_all(tmp_path):
    async with server(tmp_path) as session:
        everything = (await call(session, "list_rules"))["rules"]
        hope = (await call(session, "list_rules", category="hope"))["rules"]
        bad = await call_error(session, "list_rules", {"category": "hopes"})
    assert len(everything) > 400
    assert hope and all(r["category"] == "hope" for r in hope)
    assert [r["id"] for r in hope] == [r["id"] for r in everything if r["category"] == "hope"]
    assert "hopes" in bad


async def test_bad_arguments_are_tool_errors_and_the_server_goes_on(tmp_path):
    async with server(tmp_path) as session:
        missing = await call_error(session, "check_text", {})
        wrong_type = await call_error(session, "check_text", {"text": 5})
        unknown_field = await call_error(session, "reframe_text", {"text": "x", "unsafely": True})
        bad_format = await call_error(session, "check_text", {"text": "x", "format": "html"})
        still = await call(session, "check_text", text="He is non-compliant.")
    assert "text" in missing
    assert "string" in wrong_type
    assert "unsafely" in unknown_field
    assert "html" in bad_format
    assert still["total"] == 1


async def test_unknown_tool_is_a_json_rpc_error(tmp_path):
    async with server(tmp_path) as session:
        with pytest.raises(MCPError) as raised:
            await session.call_tool("rewrite_everything", {"text": "x"})
        assert raised.value.code == -32602
        assert "not found" in raised.value.message
        assert (await call(session, "check_text", text="He is non-compliant."))["total"] == 1


async def test_malformed_messages_do_not_end_the_server(tmp_path):
    """Raw JSON-RPC: a line that is not JSON, a call without a tool name and an unknown method
    are answered or dropped, and a good call after them still works."""
    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "raw", "version": "0"},
        },
    }
    lines = [
        initialize,
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        "{this is not json",
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"arguments": {}}},
        {"jsonrpc": "2.0", "id": 3, "method": "no/such/method"},
        {
            "jsonrpc": "2.0",
            "id": 4,
            "method": "tools/call",
            "params": {"name": "check_text", "arguments": {"text": "He is non-compliant."}},
        },
    ]
    stdin = "".join((l if isinstance(l, str) else json.dumps(l)) + "\n" for l in lines)
    done = subprocess.run(
        [BIN, "mcp"], input=stdin, capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert done.returncode == 0, done.stderr
    replies = {r["id"]: r for r in map(json.loads, done.stdout.splitlines())}
    assert set(replies) == {1, 2, 3, 4}
    assert replies[2]["error"]["code"] < 0
    assert replies[3]["error"]["code"] == -32601
    assert replies[4]["result"]["structuredContent"]["total"] == 1


async def test_five_megabytes_of_text(tmp_path):
    paragraph = (
        "Session notes: the client was non-compliant with the plan and seemed resistant to "
        "feedback, though she talked about her week, her sister and the new job at length. "
    ) * 4
    text = ""
    while len(text) < 5_000_000:
        text += paragraph + "\n\n"
    async with server(tmp_path) as session:
        result = await call(session, "check_text", text=text, format="text")
        kept = await call(session, "reframe_text", text=text, format="text")
        reframed = await call(session, "reframe_text", text=text, format="text", unsafe=True)
    paragraphs = text.count("\n\n")
    assert result["total"] == 2 * 4 * paragraphs
    assert len(result["findings"]) == 500 and result["omitted"] == result["total"] - 500
    last = result["findings"][-1]
    pos = last["position"]
    assert text.encode()[pos["start"] : pos["end"]].decode() == last["matched"]
    assert {f["matched"] for f in result["findings"]} == {"non-compliant with", "resistant to feedback"}
    # Both phrases' preferred reframes are suggestions: applied only when asked.
    assert kept["text"] == text and kept["total_changes"] == 0
    assert kept["total_needs_judgement"] == result["total"]
    assert reframed["total_changes"] == result["total"]
    assert len(reframed["changes"]) == 500
    assert reframed["total_needs_judgement"] == 0
    assert "non-compliant" not in reframed["text"]
    preferred = {f["matched"]: f["reframes"][0]["text"] for f in result["findings"]}
    for replacement in preferred.values():
        assert reframed["text"].count(replacement) == 4 * paragraphs


async def test_project_config_and_packs_shape_every_tool(tmp_path):
    (tmp_path / ".reframe.toml").write_text('disable = ["committed-suicide"]\n')
    pack = REPO / "rules" / "packs" / "peer-support.toml"
    async with server(tmp_path, "--rules", str(pack)) as session:
        checked = await call(session, "check_text", text="He committed suicide last year.")
        rules = {r["id"]: r for r in (await call(session, "list_rules"))["rules"]}
        guide = await session.read_resource("reframe://style-guide/suicide")
    assert checked["total"] == 0
    assert rules["committed-suicide"]["severity"] == "off"
    assert "peer-patient-client" in rules
    assert "“committed suicide”" not in guide.contents[0].text


async def test_style_guide_resource_and_prompt_come_from_the_rules(tmp_path):
    async with server(tmp_path) as session:
        rules = (await call(session, "list_rules"))["rules"]
        listed = {str(r.uri) for r in (await session.list_resources()).resources}
        whole = (await session.read_resource("reframe://style-guide")).contents[0]
        prompts = {p.name: p for p in (await session.list_prompts()).prompts}
        prompt = await session.get_prompt("style_guide", {"category": "substance"})
        with pytest.raises(MCPError) as missing:
            await session.read_resource("reframe://style-guide/nothing")
    assert "reframe://style-guide" in listed and "reframe://style-guide/blame" in listed
    assert whole.mime_type == "text/markdown"
    warnings = [r for r in rules if r["severity"] in ("warning", "error")]
    hints = {r["message"] for r in rules if r["severity"] == "hint"}
    hints -= {r["message"] for r in warnings}
    for rule in warnings:
        assert rule["message"] in whole.text, rule["id"]
    assert not [m for m in hints if m in whole.text]
    assert "style_guide" in prompts
    [message] = prompt.messages
    assert message.role == "user"
    assert "## Substance use" in message.content.text
    assert "## Suicide" not in message.content.text
    assert missing.value.code == -32002


async def test_logs_carry_no_text(tmp_path):
    errlog = tmp_path / "stderr.log"
    secret = "Marguerite Okonkwo-Delacroix"
    text = f"{secret} is non-compliant and {secret} committed suicide.\n"
    env = {"REFRAME_LOG": "trace"}
    async with server(tmp_path, env=env, errlog=errlog) as session:
        await call(session, "check_text", text=text)
        await call(session, "reframe_text", text=text)
        await call(session, "explain", rule_or_phrase=text)
        await call_error(session, "check_text", {"text": 5, "secret": secret})
    log = errlog.read_text()
    assert "check_text" in log and "findings" in log
    assert "Okonkwo" not in log and "non-compliant and" not in log


def readme_snippets():
    """The client configurations in editors/mcp/README.md, by the heading above each."""
    readme = (REPO / "editors" / "mcp" / "README.md").read_text()
    snippets, heading = {}, None
    for block in readme.split("```"):
        lines = block.splitlines()
        if block.startswith("json\n"):
            snippets[heading] = json.loads(block[len("json\n") :])
        elif lines:
            headings = [l[4:] for l in lines if l.startswith("### ")]
            heading = headings[-1] if headings else heading
    return snippets


async def test_readme_configurations_start_a_working_server(tmp_path):
    snippets = readme_snippets()
    entries = {
        "Claude Desktop": snippets["Claude Desktop"]["mcpServers"]["reframe"],
        "VS Code": snippets["VS Code"]["servers"]["reframe"],
        "Cursor": snippets["Cursor"]["mcpServers"]["reframe"],
        "Zed": snippets["Zed"]["context_servers"]["reframe"],
    }
    assert snippets["VS Code"]["servers"]["reframe"]["type"] == "stdio"
    for client, entry in entries.items():
        assert entry["command"] == "reframe", client
        assert entry["args"][0] == "mcp", client
        async with server(tmp_path, *entry["args"][1:]) as session:
            tools = {t.name for t in (await session.list_tools()).tools}
        assert tools == TOOLS, client
