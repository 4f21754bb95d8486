import { createHash } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import dnsPacket from 'dns-packet';

/**
 * A resolver for fuzzing: it answers every query at once (so checks do not wait out a timeout), and
 * which answer — a referral, NXDOMAIN, a datagram cut short or plain garbage — follows from the
 * queried name, so a seed always gets the same answers whatever order the queries arrive in.
 */
export class FuzzDnsServer {
  private readonly socket: Socket = createSocket('udp4');

  async start(): Promise<string> {
    this.socket.on('message', (message, peer) => {
      const reply = this.answer(message);
      this.socket.send(reply, peer.port, peer.address);
    });
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(this.socket.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private answer(message: Buffer): Buffer {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return Buffer.from([0xde, 0xad]);
    }
    const name = query.questions?.[0]?.name ?? '';
    const choice = createHash('sha256').update(name).digest()[0] as number;
    const base = { id: query.id, type: 'response' as const, questions: query.questions };
    switch (choice % 4) {
      case 0:
        return dnsPacket.encode({
          ...base,
          flags: dnsPacket.AUTHORITATIVE_ANSWER,
          answers: [{ type: 'NS', name, ttl: 60, data: 'ns1.catalyst.test' }],
        });
      case 1:
        return dnsPacket.encode({ ...base, rcode: 'NXDOMAIN' } as dnsPacket.Packet);
      case 2:
        return dnsPacket
          .encode({ ...base, answers: [{ type: 'NS', name, ttl: 60, data: 'ns.elsewhere.test' }] })
          .subarray(0, 15);
      default:
        return Buffer.concat([message.subarray(0, 2), Buffer.from('not a dns answer at all')]);
    }
  }
}
