const MIN_SECRET_LENGTH = 6;

/**
 * Replaces every known secret of a run in a line before it is stored, streamed or logged. It knows
 * the values themselves (tokens, passwords, credentials), so it also catches them inside URLs,
 * JSON and tofu diagnostics, where key-name redaction cannot.
 */
export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: (string | undefined | null)[]) {
    // Longest first, so a secret that contains another is replaced whole.
    this.secrets = [
      ...new Set(secrets.filter((s): s is string => !!s && s.length >= MIN_SECRET_LENGTH)),
    ].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join('[redacted]');
    }
    return out;
  }

  with(more: (string | undefined | null)[]): Redactor {
    return new Redactor([...this.secrets, ...more]);
  }
}

/** The password of a connection URL, which tofu's environment carries and errors may echo. */
export function passwordOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
