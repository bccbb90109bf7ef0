/**
 * What the local Route 53's DNS server answers, without a socket: a CNAME from the domain to the
 * chosen region's host, that host's loopback address and its TXT (region, URL), TTL 60,
 * NXDOMAIN (with the zone's SOA) for other names in the hosted zone, REFUSED outside the hosted
 * zones, and refusals for what it does not serve.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Packet, type Question } from "dns2";
import { type DnsZone, dnsAnswer, RCODE } from "../../src/local/route53/dns-answer.ts";
import type { RecordConfig } from "../../src/local/route53/route53-config.ts";

const east: RecordConfig = {
  name: "api.example.com",
  setIdentifier: "us-east-1",
  region: "us-east-1",
  failover: "PRIMARY",
  target: { host: "us-east-1.api.example.com", url: "http://127.0.0.1:4001" },
};
const west: RecordConfig = {
  ...east,
  setIdentifier: "us-west-2",
  region: "us-west-2",
  failover: "SECONDARY",
  target: { host: "us-west-2.api.example.com", url: "http://127.0.0.1:4002" },
};

/** A zone whose answer for api.example.com is `chosen`. */
function zone(chosen: RecordConfig | undefined): DnsZone {
  return {
    resolve: (name) => (name === "api.example.com" ? chosen : undefined),
    records: () => [east, west],
    hostedZones: () => ["example.com"],
  };
}

function query(name: string, type: number, tweak: (p: Packet) => void = () => {}): Packet {
  const packet = new Packet();
  packet.header.id = 4242;
  packet.header.rd = 1;
  packet.questions.push({ name, type, class: Packet.CLASS.IN } as Question);
  tweak(packet);
  // Through the wire format and back, as the server receives it.
  return Packet.parse(packet.toBuffer());
}

function answer(request: Packet, chosen: RecordConfig | undefined = east): Packet {
  const response = dnsAnswer(request, zone(chosen));
  assert.ok(response, "an answer");
  return Packet.parse(response.toBuffer());
}

describe("the local Route 53's DNS answers", () => {
  test("an A query for the domain: a CNAME to the chosen region's host, then 127.0.0.1, TTL 60", () => {
    const response = answer(query("api.example.com", Packet.TYPE.A));
    assert.equal(response.header.id, 4242);
    assert.equal(response.header.qr, 1);
    assert.equal(response.header.aa, 1);
    assert.equal(response.header.rcode, RCODE.NOERROR);
    assert.deepEqual(
      response.answers.map((r) => [r.name, r.type, r.ttl, r.domain ?? r.address]),
      [
        ["api.example.com", Packet.TYPE.CNAME, 60, "us-east-1.api.example.com"],
        ["us-east-1.api.example.com", Packet.TYPE.A, 60, "127.0.0.1"],
      ],
    );
  });

  test("the answer follows the record the engine chooses", () => {
    const response = answer(query("API.Example.COM", Packet.TYPE.A), west);
    // DNS names compare case-insensitively (dns2 compresses the suffix against the question's case).
    assert.equal(response.answers[0]?.domain?.toLowerCase(), "us-west-2.api.example.com");
  });

  test("a TXT query names the region and the URL its API answers on", () => {
    const response = answer(query("api.example.com", Packet.TYPE.TXT));
    const txt = response.answers.find((r) => r.type === Packet.TYPE.TXT);
    assert.equal(txt?.name, "us-east-1.api.example.com");
    assert.deepEqual(txt?.data, ["region=us-east-1", "url=http://127.0.0.1:4001"]);
  });

  test("a region's host answers whether or not DNS chooses it now", () => {
    const response = answer(query("us-west-2.api.example.com", Packet.TYPE.A), east);
    assert.deepEqual(
      response.answers.map((r) => [r.type, r.address]),
      [[Packet.TYPE.A, "127.0.0.1"]],
    );
  });

  test("an AAAA query gets the CNAME and no address (the servers listen on IPv4 loopback)", () => {
    const response = answer(query("api.example.com", Packet.TYPE.AAAA));
    assert.equal(response.header.rcode, RCODE.NOERROR);
    assert.deepEqual(
      response.answers.map((r) => r.type),
      [Packet.TYPE.CNAME],
    );
  });

  test("NXDOMAIN, authoritative, with the zone's SOA, for a name in the hosted zone without a record", () => {
    for (const name of ["www.example.com", "WWW.Example.COM.", "a.b.api.example.com"]) {
      const response = answer(query(name, Packet.TYPE.A));
      assert.equal(response.header.rcode, RCODE.NXDOMAIN, name);
      assert.equal(response.header.aa, 1, name);
      assert.equal(response.answers.length, 0);
      assert.deepEqual(
        // Names compare case-insensitively (dns2 compresses them onto the question's spelling).
        response.authorities.map((r) => [
          r.name.toLowerCase(),
          r.type,
          r.ttl,
          r.primary,
          r.admin?.toLowerCase(),
          r.serial,
          r.refresh,
          r.retry,
          r.expiration,
          r.minimum,
        ]),
        [
          [
            "example.com",
            Packet.TYPE.SOA,
            900,
            "localhost",
            "hostmaster.example.com",
            1,
            7200,
            900,
            1209600,
            86400,
          ],
        ],
        name,
      );
    }
  });

  test("names that exist without a record of their own get NOERROR, no answer and the SOA (RFC 8020)", () => {
    // The zone's apex, and a parent of the regional hosts (an empty non-terminal).
    for (const asked of [query("example.com", Packet.TYPE.A), query("example.com", Packet.TYPE.MX)]) {
      const response = answer(asked);
      assert.equal(response.header.rcode, RCODE.NOERROR);
      assert.equal(response.answers.length, 0);
      assert.equal(response.authorities[0]?.type, Packet.TYPE.SOA);
    }
    const apexSoa = answer(query("example.com", Packet.TYPE.SOA));
    assert.deepEqual(
      apexSoa.answers.map((r) => [r.name, r.type, r.primary]),
      [["example.com", Packet.TYPE.SOA, "localhost"]],
    );
  });

  test("REFUSED, not authoritative, for names outside every hosted zone", () => {
    for (const name of ["api.example.com.evil.test", "example.org", "com", "notexample.com"]) {
      const response = answer(query(name, Packet.TYPE.A));
      assert.equal(response.header.rcode, RCODE.REFUSED, name);
      assert.equal(response.header.aa, 0, name);
      assert.equal(response.answers.length + response.authorities.length, 0, name);
    }
  });

  test("the longest hosted zone holding the name gives the SOA; no hosted zone refuses all but the records", () => {
    const nested: DnsZone = { ...zone(east), hostedZones: () => ["example.com", "api.example.com"] };
    const inner = Packet.parse(
      dnsAnswer(query("x.api.example.com", Packet.TYPE.A), nested)?.toBuffer() ?? Buffer.alloc(0),
    );
    assert.equal(inner.header.rcode, RCODE.NXDOMAIN);
    assert.equal(inner.authorities[0]?.name, "api.example.com");
    const none: DnsZone = { ...zone(east), hostedZones: () => [] };
    assert.equal(dnsAnswer(query("www.example.com", Packet.TYPE.A), none)?.header.rcode, RCODE.REFUSED);
    assert.equal(dnsAnswer(query("api.example.com", Packet.TYPE.A), none)?.header.rcode, RCODE.NOERROR);
  });

  test("NXDOMAIN when the engine has no record for the domain", () => {
    const response = dnsAnswer(query("api.example.com", Packet.TYPE.A), {
      resolve: () => undefined,
      records: () => [],
      hostedZones: () => ["example.com"],
    });
    assert.equal(response?.header.rcode, RCODE.NXDOMAIN);
  });

  test("anything but a QUERY is not implemented", () => {
    const response = answer(query("api.example.com", Packet.TYPE.A, (p) => (p.header.opcode = 5)));
    assert.equal(response.header.rcode, RCODE.NOTIMP);
    assert.equal(response.answers.length, 0);
  });

  test("a class other than IN is refused; two questions are a format error", () => {
    const chaos = query("version.bind", Packet.TYPE.TXT, (p) => {
      (p.questions[0] as { class: number }).class = Packet.CLASS.CH;
    });
    assert.equal(answer(chaos).header.rcode, RCODE.REFUSED);
    const two = query("api.example.com", Packet.TYPE.A, (p) => {
      p.questions.push({
        name: "api.example.com",
        type: Packet.TYPE.TXT,
        class: Packet.CLASS.IN,
      } as Question);
    });
    assert.equal(answer(two).header.rcode, RCODE.FORMERR);
  });

  test("a packet that is itself a response gets no answer (no ping-pong between servers)", () => {
    assert.equal(
      dnsAnswer(
        query("api.example.com", Packet.TYPE.A, (p) => (p.header.qr = 1)),
        zone(east),
      ),
      undefined,
    );
  });

  test("a query with an OPT record gets one back (RFC 6891 §7); an EDNS version above 0 gets BADVERS", () => {
    const withOpt = (version: number) =>
      query("api.example.com", Packet.TYPE.A, (p) => {
        const opt = Packet.Resource.EDNS([]);
        opt.ttl = version << 16;
        p.additionals.push(opt);
      });
    const ok = answer(withOpt(0));
    assert.equal(ok.header.rcode, RCODE.NOERROR);
    assert.equal(ok.answers.length, 2);
    const opt = ok.additionals.find((r) => r.type === Packet.TYPE.EDNS);
    assert.ok(opt, "an OPT record in the answer");
    assert.equal(opt.class, 512, "the UDP payload size the server takes (it drops longer queries)");
    const bad = answer(withOpt(1));
    assert.equal(bad.answers.length, 0);
    // BADVERS is 16: the OPT record's extended RCODE 1 above the header's 0.
    assert.equal(bad.header.rcode, 16);
    assert.equal(answer(query("api.example.com", Packet.TYPE.A)).additionals.length, 0, "no OPT unasked");
  });
});
