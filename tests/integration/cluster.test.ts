/**
 * Issue 20 item 3: the real built server with WEB_CONCURRENCY=2 (a primary and two serving
 * processes sharing one database file), over real HTTP. CHANGE_POLL_MS is ten minutes, so the
 * live stream and caches can only be current through the relay between the processes and the
 * validity token read from the database — not by a poll. Nothing here asserts how long anything
 * took; the waits are safety limits.
 *
 * - A change made through one process is seen at once by the other (the open API's cached answer).
 * - A live-stream client on each process gets the event of a change made through either.
 * - SIGTERM to the primary: a request in flight still completes; every process exits; exit 0.
 */
import { rmSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareDatabase } from "#app/boot.server";
import { openDatabase } from "#app/db.server";
import { checkDatabaseFile } from "#app/models/backup.server";
import { issueToken } from "#app/models/token.server";
import { tempDir } from "../helpers/db";
import { startServer, type RunningServer } from "../helpers/server";
import { holdDelivery } from "../helpers/held-delivery";
import { SseClient } from "../helpers/sse";

let dir: string;
let dbFile: string;
let server: RunningServer;
let token: string;

beforeAll(async () => {
  dir = tempDir("ks-cluster-");
  dbFile = path.join(dir, "cluster.db");
  const db = openDatabase(dbFile);
  prepareDatabase(db, { seedDemoData: false });
  token = issueToken(db, "ous", "cluster test").token;
  db.close();
  server = await startServer({
    DATABASE_PATH: dbFile,
    SEED_DEMO_DATA: "false",
    WEB_CONCURRENCY: "2",
    CHANGE_POLL_MS: "600000",
  });
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const study = (n: number) => ({
  id: `CL-${n}`,
  tittel: `Klyngestudie nummer ${n}`,
  sammendrag: "Et kort sammendrag.",
  studietype: "behandling",
  utfort_av: "ous",
  identifikatorer: { rek: `77${String(n).padStart(4, "0")}` },
  studiesteder: [{ foretak: "ous", inklusjon_start: "2026-01-01", inklusjon_slutt: "2027-12-31" }],
});

function request(
  agent: http.Agent,
  method: string,
  pathAndQuery: string,
  body?: string,
): Promise<{ status: number; process: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${server.url}${pathAndQuery}`, {
      method,
      agent,
      headers: body
        ? {
            authorization: `Bearer ${token}`,
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
          }
        : {},
    });
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, process: String(res.headers["x-server-process"]), text }),
      );
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** One keep-alive connection (so one process) per serving process: new connections until both are seen. */
async function agentPerProcess(): Promise<Map<string, http.Agent>> {
  const agents = new Map<string, http.Agent>();
  for (let i = 0; i < 50 && agents.size < 2; i++) {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const { process } = await request(agent, "GET", "/healthz");
    if (agents.has(process)) agent.destroy();
    else agents.set(process, agent);
  }
  expect(agents.size, "two serving processes answer").toBe(2);
  return agents;
}

describe("two serving processes (WEB_CONCURRENCY=2)", () => {
  it("a change made through one process is seen at once by the other, in its API answers and its live stream", async () => {
    const agents = await agentPerProcess();
    const [a, b] = [...agents.keys()] as [string, string];
    const viaA = agents.get(a)!;
    const viaB = agents.get(b)!;
    expect(a).not.toBe(b);

    // A live stream on each process.
    const streams: SseClient[] = [];
    for (let i = 0; i < 50 && new Set(streams.map((s) => s.headers["x-server-process"])).size < 2; i++) {
      const s = await SseClient.connect(`${server.url}/api/v1/events`, {}, new http.Agent({ keepAlive: false }));
      if (streams.some((t) => t.headers["x-server-process"] === s.headers["x-server-process"])) s.close();
      else streams.push(s);
    }
    expect(streams.map((s) => s.headers["x-server-process"]).sort()).toEqual([a, b].sort());
    for (const s of streams) await s.next((e) => e.event === "ready");

    // Each process has a cached answer from before the change.
    const changes = "/api/v1/changes?since=0";
    for (const agent of [viaA, viaB]) {
      expect(JSON.parse((await request(agent, "GET", changes)).text).data).toEqual([]);
      expect(JSON.parse((await request(agent, "GET", changes)).text).data).toEqual([]);
    }

    // The delivery goes through process A; process B answers with it at once.
    const sent = await request(
      viaA,
      "POST",
      "/api/v1/organisations/ous/studies?format=native",
      JSON.stringify([study(1)]),
    );
    expect(sent.process).toBe(a);
    expect(sent.status).toBe(200);
    const onB = await request(viaB, "GET", changes);
    expect(onB.process).toBe(b);
    const data = JSON.parse(onB.text).data as { studyId: number; kind: string }[];
    expect(data).toHaveLength(1);
    expect(data[0]!.kind).toBe("published");

    // Both live streams tell, whichever process the client is on.
    for (const s of streams) {
      const event = await s.next((e) => e.event === "study.published", 0, 20_000);
      expect(JSON.parse(event.data)).toMatchObject({ studyId: data[0]!.studyId });
    }

    // And the other way round: a change through B reaches the stream on A.
    const again = await request(
      viaB,
      "POST",
      "/api/v1/organisations/ous/studies?format=native",
      JSON.stringify([study(2)]),
    );
    expect(again.status).toBe(200);
    const onA = JSON.parse((await request(viaA, "GET", changes)).text).data as unknown[];
    expect(onA).toHaveLength(2);
    for (const s of streams) {
      const events = s.events.filter((e) => e.event === "study.published");
      await s.next((e) => e.event === "study.published" && e !== events[0], 0, 20_000);
    }
    for (const s of streams) s.close();
    for (const agent of agents.values()) agent.destroy();
  });

  it("a form from one process is accepted by the other (one session secret, made once by the primary)", async () => {
    // No SESSION_SECRET is set for this server: the primary makes one and shares it. Were each
    // process to make its own, the CSRF cookie signed by A would be refused by B (403).
    const agents = await agentPerProcess();
    const [viaA, viaB] = [...agents.values()] as [http.Agent, http.Agent];
    const form = await new Promise<{ cookies: string; token: string }>((resolve, reject) => {
      http
        .get(`${server.url}/logg-inn`, { agent: viaA }, (res) => {
          let html = "";
          res.setEncoding("utf8");
          res.on("data", (d: string) => (html += d));
          res.on("end", () =>
            resolve({
              cookies: (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; "),
              token: /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? "",
            }),
          );
        })
        .on("error", reject);
    });
    expect(form.token).not.toBe("");
    const body = new URLSearchParams({
      csrf: form.token,
      til: "/forsker",
      email: "nobody@example.org",
      password: "wrong",
    });
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(`${server.url}/logg-inn`, {
        method: "POST",
        agent: viaB,
        headers: {
          cookie: form.cookies,
          origin: server.url,
          "content-type": "application/x-www-form-urlencoded",
        },
      });
      req.on("response", (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on("error", reject);
      req.end(body.toString());
    });
    // Past the CSRF check: the wrong password is the answer, not a refused form.
    expect(answer.status).not.toBe(403);
    expect(answer.text).toMatch(/e-post.*passord|passord.*e-post/i);
    for (const agent of agents.values()) agent.destroy();
  });

  it("SIGTERM to the primary: a request in flight completes, every process exits, exit code 0", async () => {
    const body = JSON.stringify([study(3), study(4)]);
    // A serving process has read the headers and is handling the request.
    const held = await holdDelivery(
      `${server.url}/api/v1/organisations/ous/studies?format=native`,
      "POST",
      token,
      body,
    );

    const exited = new Promise<number | null>((resolve) => server.process.once("exit", (code) => resolve(code)));
    server.process.kill("SIGTERM");
    for (let i = 0; i < 600 && (server.output().match(/cluster shutdown: closing/g) ?? []).length < 2; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect((server.output().match(/cluster shutdown: closing/g) ?? []).length).toBe(2);
    const answer = await held.send();
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ received: 2, created: 2, rejected: 0 });
    expect(await exited).toBe(0);
    expect((server.output().match(/shutdown complete/g) ?? []).length).toBe(2);
    expect(checkDatabaseFile(dbFile)).toMatchObject({ ok: true, problems: [], studies: 4 });
  });
});
