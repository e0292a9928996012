import dgram from 'node:dgram';
import net from 'node:net';
import * as packet from 'dns-packet';

/**
 * A tiny authoritative DNS server on 127.0.0.1 for black-box tests: point the service at it with
 * `INTAKE_DNS_SERVERS=${dns.server}` and real host names resolve to loopback fixture servers,
 * fully offline. It speaks UDP and, on the same port, TCP (c-ares retries over TCP when a UDP
 * answer comes back truncated).
 */

/** What one lookup of a name answers. A name with no record of the asked type answers NODATA. */
export interface DnsAnswer {
  a?: string[];
  aaaa?: string[];
  /**
   * Defaults to 0, so no cache that honours TTLs (the service's own, if it keeps one) can hide a
   * lookup from `queries` or stall a rebinding sequence. Node's `dns.Resolver` itself keeps no
   * cache (Node turns c-ares's query cache off), so with it every lookup reaches this server.
   */
  ttl?: number;
}

/** `timeout` never answers at all, so the client has to give up on its own clock. */
export type DnsFailure = 'NXDOMAIN' | 'SERVFAIL' | 'timeout';

export interface DnsQuery {
  /** Lower-cased, without a trailing dot. */
  readonly name: string;
  /** `A`, `AAAA`, or whatever else was asked (`HTTPS`, `UNKNOWN_65`, …). */
  readonly type: string;
  readonly transport: 'udp' | 'tcp';
}

export interface TestDns {
  /** `127.0.0.1:<port>`, the form `INTAKE_DNS_SERVERS` and `Resolver#setServers` take. */
  readonly server: string;
  readonly port: number;
  /** Every question received, in order, including ones answered NXDOMAIN or never answered. */
  readonly queries: readonly DnsQuery[];
  /** The queries for one name (normalised like every name here), optionally of one type. */
  queriesFor(name: string, type?: string): DnsQuery[];
  /** Every lookup of `name` gets this answer from now on (resets any sequence or failure). */
  set(name: string, answer: DnsAnswer): void;
  /**
   * The n-th query of a given type for `name` gets `answers[n]`; the last one then repeats.
   * The cursor is kept per query type, so a client that asks A and AAAA for each lookup sees
   * lookup n answered consistently by `answers[n]` (the DNS-rebinding shape: a public or fixture
   * address first, then 127.0.0.1). An entry may be a failure kind, e.g. `['SERVFAIL', {a: …}]`.
   */
  setSequence(name: string, answers: ReadonlyArray<DnsAnswer | DnsFailure>): void;
  /** Every lookup of `name` fails this way from now on. */
  fail(name: string, kind: DnsFailure): void;
  /** Forget every name and every logged query. */
  reset(): void;
  close(): Promise<void>;
}

interface Entry {
  answers: ReadonlyArray<DnsAnswer | DnsFailure>;
  /** Queries seen so far, per query type. */
  cursor: Map<string, number>;
}

const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3 } as const;
/** Without EDNS a DNS answer over UDP may not exceed 512 bytes (RFC 1035 §4.2.1). */
const CLASSIC_UDP_LIMIT = 512;

const normalise = (name: string) => name.toLowerCase().replace(/\.$/, '');

export async function startDnsServer(): Promise<TestDns> {
  const names = new Map<string, Entry>();
  const queries: DnsQuery[] = [];
  const sockets = new Set<net.Socket>();

  /** The reply for one query, or null to stay silent (`timeout`). */
  const answer = (query: packet.DecodedPacket, transport: DnsQuery['transport']): Buffer | null => {
    const question = query.questions?.[0];
    const reply = (rcode: number, answers: packet.Answer[] = []) =>
      packet.encode({
        type: 'response',
        id: query.id ?? 0,
        // Authoritative, echo "recursion desired", and the RCODE rides in the low four bits.
        flags: packet.AUTHORITATIVE_ANSWER | ((query.flags ?? 0) & packet.RECURSION_DESIRED) | rcode,
        // Echo the question exactly as asked: c-ares drops answers whose question differs.
        questions: query.questions ?? [],
        answers,
      });
    if (!question) return reply(1 /* FORMERR */);
    const name = normalise(question.name);
    queries.push({ name, type: question.type, transport });
    const entry = names.get(name);
    if (!entry) return reply(RCODE.NXDOMAIN);
    const seen = entry.cursor.get(question.type) ?? 0;
    entry.cursor.set(question.type, seen + 1);
    const current = entry.answers[Math.min(seen, entry.answers.length - 1)];
    if (current === undefined || current === 'NXDOMAIN') return reply(RCODE.NXDOMAIN);
    if (current === 'SERVFAIL') return reply(RCODE.SERVFAIL);
    if (current === 'timeout') return null;
    const addresses = question.type === 'A' ? current.a : question.type === 'AAAA' ? current.aaaa : undefined;
    const records: packet.Answer[] = (addresses ?? []).map((data) => ({
      type: question.type as 'A' | 'AAAA',
      name: question.name,
      ttl: current.ttl ?? 0,
      data,
    }));
    const full = reply(RCODE.NOERROR, records);
    if (transport === 'tcp') return full;
    // Too big for the client's UDP buffer: answer "truncated" with no records, which makes a
    // resolver retry the same question over TCP. c-ares advertises its size in an EDNS OPT record.
    const opt = query.additionals?.find((record) => record.type === 'OPT') as { udpPayloadSize?: number } | undefined;
    const limit = Math.max(opt?.udpPayloadSize ?? CLASSIC_UDP_LIMIT, CLASSIC_UDP_LIMIT);
    if (full.length <= limit) return full;
    return packet.encode({
      type: 'response',
      id: query.id ?? 0,
      flags: packet.AUTHORITATIVE_ANSWER | packet.TRUNCATED_RESPONSE | RCODE.NOERROR,
      questions: query.questions ?? [],
    });
  };

  const decode = (message: Buffer): packet.DecodedPacket | null => {
    try {
      return packet.decode(message);
    } catch {
      return null; // Garbage is ignored, as a real server would.
    }
  };

  const onUdp = (udp: dgram.Socket) => (message: Buffer, peer: dgram.RemoteInfo) => {
    const query = decode(message);
    const reply = query && answer(query, 'udp');
    if (reply) udp.send(reply, peer.port, peer.address);
  };

  // DNS over TCP: each message is prefixed by its length as a 16-bit big-endian integer.
  const tcp = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const message = pending.subarray(2, 2 + pending.readUInt16BE(0));
        pending = pending.subarray(2 + message.length);
        const query = decode(message);
        const reply = query && answer(query, 'tcp');
        if (!reply) continue;
        const length = Buffer.alloc(2);
        length.writeUInt16BE(reply.length);
        socket.write(Buffer.concat([length, reply]));
      }
    });
  });

  // UDP takes a random port first; TCP then needs that same port, which something else may
  // already hold on TCP. Rare, so simply try again with a fresh UDP port a few times.
  let udp: dgram.Socket | undefined;
  let port = 0;
  for (let attempt = 0; !udp; attempt++) {
    const candidate = dgram.createSocket('udp4');
    candidate.on('message', onUdp(candidate));
    await new Promise<void>((resolve, reject) => {
      candidate.once('error', reject);
      candidate.bind(0, '127.0.0.1', () => {
        candidate.off('error', reject);
        // A reply to a client that already went away must not crash the test process.
        candidate.on('error', () => {});
        resolve();
      });
    });
    port = candidate.address().port;
    const listened = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    tcp.removeAllListeners('error');
    if (listened) udp = candidate;
    else await new Promise<void>((resolve) => candidate.close(() => resolve()));
    if (!listened && attempt === 5) throw new Error('test DNS: no port free on both UDP and TCP');
  }
  const udpSocket = udp;

  const setAnswers = (name: string, answers: ReadonlyArray<DnsAnswer | DnsFailure>) => {
    if (answers.length === 0) throw new Error('test DNS: a sequence needs at least one answer');
    names.set(normalise(name), { answers: [...answers], cursor: new Map() });
  };

  return {
    server: `127.0.0.1:${port}`,
    port,
    queries,
    queriesFor: (name, type) => queries.filter((q) => q.name === normalise(name) && (type === undefined || q.type === type)),
    set: (name, answer) => setAnswers(name, [answer]),
    setSequence: setAnswers,
    fail: (name, kind) => setAnswers(name, [kind]),
    reset: () => {
      names.clear();
      queries.length = 0;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => tcp.close(() => resolve())),
        new Promise<void>((resolve) => udpSocket.close(() => resolve())),
      ]);
    },
  };
}
