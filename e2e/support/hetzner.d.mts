export declare const E2E_HETZNER: { token: string; rejectedToken: string; projectId: string };
