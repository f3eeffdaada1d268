// A real Prometheus (Debian's) scrapes the service's /metrics: what operators' dashboards will see.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { freePort } from "../../../scripts/lib/local-chain.js";
import { createService, type Service } from "../../../service/service.js";
import { type ChainWithSystem, activity, chainWithSystem, freshStore } from "./harness.js";

async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const bound = (le: string) => (le === "+Inf" ? Infinity : Number(le));

describe("service metrics scraped by a real Prometheus", function () {
  this.timeout(120_000);
  let c: ChainWithSystem;
  let service: Service;
  let prometheus: ChildProcess | undefined;
  let dir: string;
  let promUrl: string;

  before(async function () {
    c = await chainWithSystem();
    await activity(c.f, c.provider);
    service = await createService({
      db: await freshStore(),
      provider: c.provider,
      chainId: 31337,
      contracts: { IntentVerifier: c.f.verifierAddress, SolverRegistry: c.f.registryAddress },
      startBlock: c.startBlock,
      pollMs: 100,
    });
    const servicePort = await freePort();
    await service.app.listen({ host: "127.0.0.1", port: servicePort });
    await until(async () => ((await service.app.inject("/ready")).statusCode === 200 ? true : undefined), "catch-up");

    dir = await mkdtemp(path.join(tmpdir(), "intentkit-prometheus-"));
    const config = path.join(dir, "prometheus.yml");
    await writeFile(
      config,
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: intentkit\n    static_configs:\n      - targets: ["127.0.0.1:${servicePort}"]\n`,
    );
    const promPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    prometheus = spawn(
      "prometheus",
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${path.join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: "ignore" },
    );
  });
  after(async function () {
    if (prometheus?.pid !== undefined && prometheus.exitCode === null) {
      const exited = new Promise((resolve) => prometheus!.once("exit", resolve));
      process.kill(prometheus.pid, "SIGKILL");
      await exited;
    }
    await service?.close();
    await c?.stop();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  async function query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const response = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await response.json()) as { status: string; data: { result: any[] } };
    return body.status === "success" ? body.data.result : [];
  }

  it("sees the six metrics with their exact names, labels and buckets", async function () {
    const names = await until(async () => {
      const response = await fetch(`${promUrl}/api/v1/label/__name__/values`);
      const body = (await response.json()) as { data: string[] };
      return body.data.includes("intent_gas_used_bucket") ? body.data : undefined;
    }, "Prometheus's first scrape");
    for (const name of [
      "intents_submitted_total",
      "intent_resolution_time_seconds_bucket",
      "intent_gas_used_bucket",
      "intent_errors_total",
      "solver_performance_score",
      "solver_success_rate",
      "indexer_lag_blocks",
      "indexer_reorgs_total",
      "cache_hits_total",
    ]) {
      expect(names, name).to.include(name);
    }
    const buckets = async (metric: string) =>
      (await query(metric)).map((series) => series.metric.le).sort((a, b) => bound(a) - bound(b));
    expect(await buckets('intent_resolution_time_seconds_bucket{type="swap"}')).to.deep.equal([
      "1",
      "5",
      "10",
      "30",
      "60",
      "300",
      "600",
      "1800",
      "+Inf",
    ]);
    expect(await buckets('intent_gas_used_bucket{type="swap",chain="31337"}')).to.deep.equal([
      "100000",
      "500000",
      "1000000",
      "5000000",
      "10000000",
      "+Inf",
    ]);
    const submitted = await query("intents_submitted_total");
    expect(submitted.map((s) => `${s.metric.type}/${s.metric.status}=${s.value[1]}`).sort()).to.deep.equal([
      "swap/Completed=1",
      "swap/Pending=1",
      "transfer/Pending=2",
    ]);
    const errors = await query("intent_errors_total");
    expect(errors.map((s) => `${s.metric.type}/${s.metric.error_code}=${s.value[1]}`)).to.deep.equal([
      "transfer/claim_failed=1",
    ]);
    const rates = await query("solver_success_rate");
    expect(rates.map((s) => s.metric.solver_id).sort()).to.deep.equal(
      [c.f.solver.address, c.f.otherSolver.address].map((a) => a.toLowerCase()).sort(),
    );
  });
});
