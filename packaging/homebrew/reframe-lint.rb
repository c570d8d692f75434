# Homebrew formula for Reframe, built from the release tag's source with cargo. The release
# workflow (.github/workflows/release.yml) attaches a copy with this tag's url and sha256 filled
# in, ready for a tap or for homebrew-core (`brew bump-formula-pr` does the same for later tags).
class ReframeLint < Formula
  desc "Flags stigmatizing language in clinical writing and offers respectful reframes"
  homepage "https://github.com/reframe-tool/reframe"
  url "https://github.com/reframe-tool/reframe/archive/refs/tags/v0.1.0.tar.gz"
  sha256 "0000000000000000000000000000000000000000000000000000000000000000"
  license any_of: ["MIT", "Apache-2.0"]
  head "https://github.com/reframe-tool/reframe.git", branch: "main"

  livecheck do
    url :stable
    strategy :github_latest
  end

  depends_on "rust" => :build

  def install
    system "cargo", "install", *std_cargo_args
  end

  test do
    assert_match version.to_s, shell_output("#{bin}/reframe --version")

    (testpath/"note.md").write "The client is non-compliant.\n"
    output = shell_output("#{bin}/reframe check #{testpath}/note.md", 1)
    assert_match "non-compliant", output

    json = <<~JSON
      {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
          "rootUri": null,
          "capabilities": {}
        }
      }
    JSON
    input = "Content-Length: #{json.size}\r\n\r\n#{json}"
    output = pipe_output("#{bin}/reframe lsp 2>&1", input)
    assert_match(/^Content-Length: \d+/i, output)
    assert_match "\"serverInfo\":{\"name\":\"reframe\"", output
  end
end
