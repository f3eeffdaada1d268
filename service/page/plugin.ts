// The status page (issue 16): `/` with its script, stylesheet and icon, read once when the plugin
// registers. Nothing on it is remote, and its Content-Security-Policy says so: the page may load
// and connect to this origin only (the read API and the intents' event streams).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { FastifyInstance } from "fastify";

const here = path.dirname(fileURLToPath(import.meta.url));

export const STATUS_PAGE_CSP = [
  "default-src 'self'",
  "connect-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const FILES = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/page.js": { file: "page.js", type: "text/javascript; charset=utf-8" },
  "/page.css": { file: "page.css", type: "text/css; charset=utf-8" },
  "/favicon.svg": { file: "favicon.svg", type: "image/svg+xml" },
} as const;

export async function statusPage(app: FastifyInstance): Promise<void> {
  for (const [route, { file, type }] of Object.entries(FILES)) {
    const body = readFileSync(path.join(here, file));
    app.get(route, { schema: { hide: true } }, async (_request, reply) =>
      reply
        .header("content-type", type)
        .header("content-security-policy", STATUS_PAGE_CSP)
        .header("x-content-type-options", "nosniff")
        .header("referrer-policy", "no-referrer")
        .header("cache-control", "no-cache")
        .send(body),
    );
  }
}
