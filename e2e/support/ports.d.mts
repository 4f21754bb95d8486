export declare const E2E_PORTS: { app: number; smtp: number; inbox: number; sovereign: number };
