// Fixed loopback ports for the browser tests (the product, its SMTP peer, the peer's inbox, and the second
// product instance the handover journey starts as the new Sovereign's own Catalyst).
export const E2E_PORTS = {
  app: Number(process.env.E2E_APP_PORT ?? 18480),
  smtp: Number(process.env.E2E_SMTP_PORT ?? 18425),
  inbox: Number(process.env.E2E_INBOX_PORT ?? 18426),
  sovereign: Number(process.env.E2E_SOVEREIGN_PORT ?? 18481),
};
