import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import dnsPacket from 'dns-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { DelegationChecker } from './delegation-checker.js';

const NAMESERVERS = ['ns1.catalyst.test', 'ns2.catalyst.test'];

/** A resolver on a loopback port that answers each query with whatever `reply` builds. */
async function fakeResolver(
  reply: (query: Buffer) => Buffer[],
): Promise<{ socket: Socket; address: string }> {
  const socket = createSocket('udp4');
  socket.on('message', (query, from) => {
    for (const datagram of reply(query)) socket.send(datagram, from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, address: `127.0.0.1:${(socket.address() as AddressInfo).port}` };
}

/** A well-formed referral for the queried name to Catalyst's nameservers. */
function referral(query: Buffer): Buffer {
  const { id, questions } = dnsPacket.decode(query);
  const name = questions?.[0]?.name ?? '';
  return dnsPacket.encode({
    type: 'response',
    id,
    questions,
    authorities: NAMESERVERS.map((ns) => ({ type: 'NS', name, ttl: 3600, data: ns })),
  });
}

/** Datagrams dns-packet cannot decode: too short for a header, and a header promising records that are missing. */
function garbage(query: Buffer): Buffer[] {
  const truncated = Buffer.from(query.subarray(0, 12));
  truncated.writeUInt16BE(0x8180, 2);
  truncated.writeUInt16BE(5, 6);
  return [Buffer.from([0xde, 0xad, 0xbe]), truncated, Buffer.alloc(0)];
}

let resolver: Socket | undefined;
afterEach(() => {
  resolver?.close();
  resolver = undefined;
});

describe('DelegationChecker against a resolver that answers garbage', () => {
  it('reports a clear failure instead of throwing out of the socket handler', async () => {
    const fake = await fakeResolver(garbage);
    resolver = fake.socket;
    const status = await new DelegationChecker(NAMESERVERS, fake.address).check('cloud.bank.test');
    expect(status).toMatchObject({ fqdn: 'cloud.bank.test', found: [], delegated: false });
    expect(status.error).toMatch(/malformed DNS message/);
  });

  it('skips the malformed datagrams and reads the valid answer that follows them', async () => {
    const fake = await fakeResolver((query) => [...garbage(query), referral(query)]);
    resolver = fake.socket;
    const status = await new DelegationChecker(NAMESERVERS, fake.address).check('cloud.bank.test');
    expect(status).toEqual({
      fqdn: 'cloud.bank.test',
      expected: NAMESERVERS,
      found: NAMESERVERS,
      delegated: true,
    });
  });

  it('keeps polling through malformed answers and names them when it gives up', async () => {
    const fake = await fakeResolver(garbage);
    resolver = fake.socket;
    const checker = new DelegationChecker(NAMESERVERS, fake.address);
    await expect(checker.waitFor('cloud.bank.test', { timeoutSeconds: 1, pollSeconds: 0.5 })).rejects.toThrow(
      /not delegated .*malformed DNS message/,
    );
  });
});
