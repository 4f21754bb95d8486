/** What the snippets say where the token goes: the user pastes it into their agent's configuration themselves. */
export const TOKEN_PLACEHOLDER = '<paste your token here>';

/** This console's MCP endpoint, as the browser reaches it. */
export function mcpEndpoint(origin: string = window.location.origin): string {
  return `${origin}/mcp`;
}

/** Claude Code's command (docs/mcp.md has qwen-code, opencode and Cline too). Never carries a real token. */
export function claudeCodeCommand(endpoint: string): string {
  return `claude mcp add --transport http catalyst ${endpoint} --header "Authorization: Bearer ${TOKEN_PLACEHOLDER}"`;
}

/** An `mcpServers` entry as qwen-code's settings.json takes it. Never carries a real token. */
export function mcpServersJson(endpoint: string): string {
  return JSON.stringify(
    {
      mcpServers: {
        catalyst: { httpUrl: endpoint, headers: { Authorization: `Bearer ${TOKEN_PLACEHOLDER}` } },
      },
    },
    null,
    2,
  );
}
