/**
 * A browser-like HTTP client for the signed-in pages: keeps cookies, reads the CSRF token from
 * the last page, posts forms (repeated names allowed) without following redirects.
 */
import { PASSWORD } from "./accounts";

export type Fields = Record<string, string> | [string, string][];

export class BrowserClient {
  cookies = new Map<string, string>();
  csrf = "";
  constructor(private readonly baseUrl: string) {}

  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [name, ...rest] = pair!.split("=");
      if (/Max-Age=0/.test(c)) this.cookies.delete(name!);
      else this.cookies.set(name!, rest.join("="));
    }
  }

  async get(p: string) {
    const res = await fetch(this.baseUrl + p, { headers: { cookie: this.header() }, redirect: "manual" });
    this.take(res);
    const body = await res.text();
    const token = /name="csrf" value="([^"]+)"/.exec(body);
    if (token) this.csrf = token[1]!;
    return { res, body };
  }

  /**
   * Posts a form. The last page's CSRF token is added unless the fields have one or
   * `csrf: false`; `origin` sends an Origin header (cross-site tests).
   */
  async post(p: string, fields: Fields, opts: { csrf?: boolean; origin?: string } = {}) {
    const form = new URLSearchParams(Array.isArray(fields) ? fields : Object.entries(fields));
    if (opts.csrf !== false && !form.has("csrf")) form.set("csrf", this.csrf);
    const headers: Record<string, string> = {
      cookie: this.header(),
      "content-type": "application/x-www-form-urlencoded",
    };
    if (opts.origin) headers.origin = opts.origin;
    const res = await fetch(this.baseUrl + p, { method: "POST", headers, body: form, redirect: "manual" });
    this.take(res);
    return { res, body: await res.text() };
  }

  /** The sign-in form, as a browser sends it; the answer whatever it is (302, 401, 423 …). */
  async attemptSignIn(email: string, password = PASSWORD, til = "/forsker/studier") {
    await this.get("/logg-inn");
    return this.post("/logg-inn", { email, password, til });
  }

  async signIn(email: string, password = PASSWORD) {
    const r = await this.attemptSignIn(email, password);
    if (r.res.status !== 302) throw new Error(`sign-in of ${email} failed: ${r.res.status}`);
    return r;
  }
}
