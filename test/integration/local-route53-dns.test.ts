/**
 * The local Route 53's DNS server on 127.0.0.1: real queries over UDP (Node's resolver) and TCP
 * (dns2's client) on one port, the answer following a failover on the manual clock, and hostile
 * packets (short, lying counts, pointer loops, bad framing) that neither crash nor wedge it.
 */
import assert from "node:assert/strict";
import { createSocket } from "node:dgram";
import { Resolver } from "node:dns/promises";
import { connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { Packet, TCPClient } from "dns2";
import { ManualClock } from "../../src/local/clock/clock.ts";
import { type DnsServer, Route53Engine, startDnsServer } from "../../src/local/route53/index.ts";
import { type StandInRegion, standInRegion } from "../support/route53-regions.ts";

const DOMAIN = "api.example.com";

describe("local Route 53 DNS server", () => {
  let east: StandInRegion;
  let west: StandInRegion;
  let clock: ManualClock;
  let engine: Route53Engine;
  let dns: DnsServer;
  let resolver: Resolver;

  before(async () => {
    east = await standInRegion("us-east-1");
    west = await standInRegion("us-west-2");
    clock = new ManualClock();
    engine = new Route53Engine({ clock });
    engine.setHealthChecks(
      [east, west].map((r) => ({
        id: `hc-${r.region}`,
        url: `${r.url}/health?healthCheckerId=x`,
        intervalSeconds: 10 as const,
        failureThreshold: 2,
        region: r.region,
      })),
    );
    engine.setRecords(
      [east, west].map((r, i) => ({
        name: DOMAIN,
        setIdentifier: r.region,
        region: r.region,
        failover: i === 0 ? ("PRIMARY" as const) : ("SECONDARY" as const),
        healthCheckId: `hc-${r.region}`,
        target: { host: `${r.region}.${DOMAIN}`, url: r.url },
      })),
      ["example.com"],
    );
    engine.start();
    dns = await startDnsServer({ engine });
    resolver = new Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([`127.0.0.1:${dns.port}`]);
  });

  after(async () => {
    await dns.close();
    await engine.close();
    await Promise.all([east.close(), west.close()]);
  });

  const tcp = () => TCPClient({ dns: "127.0.0.1", port: dns.port });

  test("answers over UDP: CNAME to the primary's host, its loopback address, TXT with region and URL", async () => {
    assert.deepEqual(await resolver.resolveCname(DOMAIN), [`us-east-1.${DOMAIN}`]);
    assert.deepEqual(await resolver.resolve4(DOMAIN, { ttl: true }), [{ address: "127.0.0.1", ttl: 60 }]);
    assert.deepEqual(await resolver.resolveTxt(DOMAIN), [["region=us-east-1", `url=${east.url}`]]);
  });

  test("answers over TCP on the same port", async () => {
    const response = await tcp()(DOMAIN, "A");
    assert.deepEqual(
      response.answers.map((r) => [r.type, r.domain ?? r.address]),
      [
        [Packet.TYPE.CNAME, `us-east-1.${DOMAIN}`],
        [Packet.TYPE.A, "127.0.0.1"],
      ],
    );
  });

  test("NXDOMAIN with the zone's SOA for names in the hosted zone without a record, over UDP and TCP", async () => {
    await assert.rejects(resolver.resolve4("www.example.com"), { code: "ENOTFOUND" });
    const response = await tcp()("www.example.com", "A");
    assert.equal(response.header.rcode, 3);
    assert.equal(response.header.aa, 1);
    assert.deepEqual(
      response.authorities.map((r) => [r.name, r.type, r.minimum]),
      [["example.com", Packet.TYPE.SOA, 86400]],
    );
    const soa = await resolver.resolveSoa("example.com");
    assert.equal(soa.hostmaster, "hostmaster.example.com");
  });

  test("REFUSED for names outside the hosted zone, over UDP and TCP", async () => {
    await assert.rejects(resolver.resolve4("www.example.org"), { code: "EREFUSED" });
    const response = await tcp()("api.example.com.evil.test", "A");
    assert.equal(response.header.rcode, 5);
    assert.equal(response.header.aa, 0);
  });

  test("the answer moves to the secondary when the primary's check fails", async () => {
    east.healthStatus = 503;
    await clock.advance(20_000);
    await engine.settled();
    assert.deepEqual(await resolver.resolveCname(DOMAIN), [`us-west-2.${DOMAIN}`]);
    assert.deepEqual(await resolver.resolveTxt(DOMAIN), [["region=us-west-2", `url=${west.url}`]]);
    const overTcp = await tcp()(DOMAIN, "CNAME");
    assert.equal(overTcp.answers[0]?.domain, `us-west-2.${DOMAIN}`);
    east.healthStatus = 200;
    await clock.advance(20_000);
    await engine.settled();
    assert.deepEqual(await resolver.resolveCname(DOMAIN), [`us-east-1.${DOMAIN}`]);
  });

  test("hostile UDP packets get no answer or an error code, and the server keeps answering", async () => {
    const header = (qd: number, flags = 0x0100) => {
      const b = Buffer.alloc(12);
      b.writeUInt16BE(0x1234, 0);
      b.writeUInt16BE(flags, 2);
      b.writeUInt16BE(qd, 4);
      return b;
    };
    const hostile = [
      Buffer.alloc(0),
      Buffer.from([0x12]),
      Buffer.alloc(11),
      header(0),
      header(0xffff),
      Buffer.concat([header(1), Buffer.from([0xc0, 0x0c, 0, 1, 0, 1])]), // a name pointing at itself
      Buffer.concat([header(1), Buffer.from([0x3f, 0x61])]), // a label longer than the packet
      Buffer.concat([header(1, 0x7900), Buffer.from([3, 0x61, 0x70, 0x69, 0, 0, 1, 0, 1])]), // opcode 15
      Buffer.alloc(4096, 0xff),
    ];
    const socket = createSocket("udp4");
    const answers: Buffer[] = [];
    socket.on("message", (m) => answers.push(m));
    try {
      for (const packet of hostile) {
        await new Promise<void>((resolve, reject) =>
          socket.send(packet, dns.port, "127.0.0.1", (e) => (e ? reject(e) : resolve())),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (const answer of answers) {
        const parsed = Packet.parse(answer);
        assert.notEqual(parsed.header.rcode, 0, "no hostile packet gets a NOERROR answer");
      }
    } finally {
      socket.close();
    }
    assert.deepEqual(await resolver.resolveCname(DOMAIN), [`us-east-1.${DOMAIN}`]);
  });

  test("packets whose counts lie cost nothing: the next query over UDP and TCP is answered at once", async () => {
    // A 12-byte header claiming 65 535 records in every section: parsing it record by record
    // held the event loop for seconds per packet.
    const lying = Buffer.alloc(12, 0xff);
    lying.writeUInt16BE(0x0100, 2);
    // The server runs in this process: time spent parsing shows in this test's own clock.
    const started = performance.now();
    const socket = createSocket("udp4");
    try {
      for (let i = 0; i < 3; i++) {
        await new Promise<void>((resolve, reject) =>
          socket.send(lying, dns.port, "127.0.0.1", (e) => (e ? reject(e) : resolve())),
        );
      }
    } finally {
      socket.close();
    }
    await new Promise<void>((resolve) => {
      const frame = Buffer.concat([Buffer.from([0, lying.length]), lying]);
      const conn = connect(dns.port, "127.0.0.1", () => conn.write(frame));
      conn.on("error", () => resolve());
      conn.on("close", () => resolve());
      conn.setTimeout(1000, () => conn.destroy());
    });
    assert.deepEqual(await resolver.resolveCname(DOMAIN), [`us-east-1.${DOMAIN}`]);
    const overTcp = await tcp()(DOMAIN, "A");
    assert.equal(overTcp.answers[0]?.domain, `us-east-1.${DOMAIN}`);
    assert.ok(
      performance.now() - started < 1500,
      `answered after ${Math.round(performance.now() - started)} ms`,
    );
  });

  test("hostile TCP frames close their connection; other connections are answered", async () => {
    const frames = [
      Buffer.from([0x00, 0x05, 1, 2, 3, 4, 5]), // a 5-byte "message"
      Buffer.from([0xff, 0xff, 1, 2, 3]), // a length it never sends, then the client leaves
      Buffer.from([0x00]), // half a length
    ];
    for (const frame of frames) {
      await new Promise<void>((resolve) => {
        const socket = connect(dns.port, "127.0.0.1", () => {
          socket.end(frame);
        });
        socket.on("data", () => {});
        socket.on("error", () => resolve());
        socket.on("close", () => resolve());
        socket.setTimeout(3000, () => socket.destroy());
      });
    }
    const response = await tcp()(DOMAIN, "A");
    assert.equal(response.answers[0]?.domain, `us-east-1.${DOMAIN}`);
  });
});
