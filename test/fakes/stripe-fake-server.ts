// A FAKE of Stripe's API for tests: a local node:http server (start it on port 0) that answers
// exactly the endpoints StripeProcessor calls, as the official SDK sends them (form-encoded
// bodies with bracketed keys, `Authorization: Bearer sk_test_…`, `Idempotency-Key`), with JSON
// shaped like Stripe's (`object` fields, id prefixes, error bodies the SDK turns into its error
// classes). Everything lives in memory; tests read what was created (`fake.transfers`, …), make a
// destination refuse transfers, finish a checkout or an onboarding as the buyer or creator would
// on Stripe's pages, and get the event Stripe would then send. It is not Stripe: only the fields
// we use are modelled.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  form,
  int,
  missing,
  now,
  parseForm,
  StripeFail,
  text,
  token,
  type Form,
  type Json,
  type Stored,
} from './stripe-fake-form.js';

export { parseForm, type Form, type FormValue, type Stored } from './stripe-fake-form.js';

export class FakeStripe {
  readonly secretKey: string;
  url = '';
  readonly sessions: Stored[] = [];
  readonly paymentIntents: Stored[] = [];
  readonly refunds: Stored[] = [];
  readonly transfers: Stored[] = [];
  readonly accounts: Stored[] = [];
  readonly accountLinks: Stored[] = [];
  readonly subscriptions: Stored[] = [];
  private readonly charges = new Map<string, Json>();
  private readonly balanceTransactions = new Map<string, Json>();
  private readonly refusing = new Map<string, string>();
  private readonly answered = new Map<string, { request: string; status: number; body: string }>();
  private failures = 0;
  /** only requests to paths starting with this fail (undefined: every request) */
  private failingPath: string | undefined;
  private server: Server | undefined;

  constructor(secretKey = 'sk_test_fake_makenot') {
    // a fake only ever takes test-mode keys, so a live key can never be pointed at it by mistake
    if (!secretKey.startsWith('sk_test_')) throw new Error('the fake takes sk_test_ keys only');
    this.secretKey = secretKey;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        // a bug in the fake: answer as Stripe's own failure would look, and say what it was
        const message = error instanceof Error ? error.message : String(error);
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { type: 'api_error', message } }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Transfers to this account are refused as Stripe refuses them (HTTP 400). */
  refuseTransfersTo(accountId: string, code = 'insufficient_capabilities_for_transfer'): void {
    this.refusing.set(accountId, code);
  }

  /**
   * The next `count` requests get Stripe's 500 (an outage), before anything is done; with
   * `path`, only requests to paths starting with it (say, an outage of transfers alone).
   */
  failNext(count: number, path?: string): void {
    this.failures = count;
    this.failingPath = path;
  }

  /** The creator finished Stripe's onboarding: the account may receive transfers. */
  finishOnboarding(accountId: string): void {
    const account = this.find(this.accounts, accountId, 'account').object;
    Object.assign(account, {
      details_submitted: true,
      payouts_enabled: true,
      charges_enabled: true,
      capabilities: { transfers: 'active' },
    });
  }

  /**
   * The buyer paid on Stripe's page: the payment intent, charge and balance transaction (with
   * `fee`) exist, or the subscription does, and the answer is the event Stripe would send.
   */
  completeCheckout(sessionId: string, options: { fee?: number } = {}): Json {
    const stored = this.find(this.sessions, sessionId, 'checkout session');
    const session = stored.object;
    if (session.status !== 'open') throw new Error(`checkout session ${sessionId} is not open`);
    const amount = Number(session.amount_total);
    const currency = String(session.currency);
    if (session.mode === 'subscription') {
      const data = form(stored.params.subscription_data);
      const trial = Number(text(data.trial_period_days) ?? 0);
      const id = `sub_${token()}`;
      const object = {
        id,
        object: 'subscription',
        status: trial > 0 ? 'trialing' : 'active',
        cancel_at_period_end: false,
        metadata: form(data.metadata),
        trial_period_days: trial > 0 ? trial : null,
      };
      this.subscriptions.push({ object, params: data, idempotencyKey: undefined });
      Object.assign(session, { subscription: id, amount_total: trial > 0 ? 0 : amount });
    } else {
      const fee = options.fee ?? Math.round(amount * 0.029) + 30;
      const txn = { id: `txn_${token()}`, object: 'balance_transaction', amount, fee, currency };
      Object.assign(txn, { net: amount - fee, type: 'charge' });
      const pi = `pi_${token()}`;
      const intentData = form(stored.params.payment_intent_data);
      const charge = {
        id: `ch_${token()}`,
        object: 'charge',
        amount,
        currency,
        payment_intent: pi,
        balance_transaction: txn.id,
        transfer_group: text(intentData.transfer_group) ?? null,
      };
      this.balanceTransactions.set(txn.id, txn);
      this.charges.set(charge.id, charge);
      const intent = {
        id: pi,
        object: 'payment_intent',
        amount,
        currency,
        status: 'succeeded',
        latest_charge: charge.id,
        transfer_group: charge.transfer_group,
        metadata: form(intentData.metadata),
      };
      this.paymentIntents.push({ object: intent, params: intentData, idempotencyKey: undefined });
      session.payment_intent = pi;
    }
    Object.assign(session, {
      status: 'complete',
      payment_status: 'paid',
      customer_details: { email: session.customer_email ?? null },
    });
    return this.event('checkout.session.completed', structuredClone(session));
  }

  /** An event envelope as Stripe sends it to a webhook endpoint. */
  event(type: string, object: Json): Json {
    return {
      id: `evt_${token(24)}`,
      object: 'event',
      type,
      created: now(),
      livemode: false,
      data: { object },
    };
  }

  private find(list: Stored[], id: string, what: string, param?: string): Stored {
    const found = list.find((s) => s.object.id === id);
    if (!found) throw missing(what, id, param);
    return found;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const header = (name: string) => {
      const value = req.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    const send = (status: number, json: string) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${token()}` });
      res.end(json);
    };
    if (header('authorization') !== `Bearer ${this.secretKey}`) {
      send(
        401,
        JSON.stringify({
          error: { type: 'invalid_request_error', message: 'Invalid API Key provided' },
        }),
      );
      return;
    }
    if (
      this.failures > 0 &&
      (this.failingPath === undefined || url.pathname.startsWith(this.failingPath))
    ) {
      this.failures -= 1;
      send(500, JSON.stringify({ error: { type: 'api_error', message: 'An error occurred.' } }));
      return;
    }
    const key = header('idempotency-key');
    const request = `${method} ${url.pathname} ${body}`;
    if (key !== undefined && method === 'POST') {
      const earlier = this.answered.get(key);
      if (earlier && earlier.request !== request) {
        const error = {
          type: 'idempotency_error',
          message: 'Keys for idempotent requests can only be used with the same parameters.',
        };
        send(400, JSON.stringify({ error }));
        return;
      }
      if (earlier) {
        send(earlier.status, earlier.body);
        return;
      }
    }
    const params = parseForm(method === 'GET' || method === 'DELETE' ? url.search.slice(1) : body);
    let status = 200;
    let json: string;
    try {
      json = JSON.stringify(this.route(method, url.pathname, params, key));
    } catch (error) {
      if (!(error instanceof StripeFail)) throw error;
      status = error.status;
      json = JSON.stringify({ error: error.body });
    }
    // Stripe stores the answer to a keyed request, errors included, and replays it.
    if (key !== undefined && method === 'POST')
      this.answered.set(key, { request, status, body: json });
    send(status, json);
  }

  private route(method: string, path: string, params: Form, key: string | undefined): Json {
    // /v1/<resource>[/<id>], where checkout sessions take two segments
    const segments = path.replace(/^\/v1\//, '').split('/');
    const width = segments[0] === 'checkout' ? 2 : 1;
    const resource = segments.slice(0, width).join('/');
    const id = segments[width];
    const shape = segments.length > width + 1 ? '/…' : id === undefined ? '' : '/:id';
    const route = `${method} /${resource}${shape}`;
    switch (route) {
      case 'POST /checkout/sessions':
        return this.createSession(params, key);
      case 'GET /checkout/sessions/:id':
        return this.find(this.sessions, id ?? '', 'checkout session').object;
      case 'POST /checkout/sessions/…':
        if (segments[width + 1] !== 'expire') break;
        return this.expireSession(id ?? '');
      case 'POST /refunds':
        return this.createRefund(params, key);
      case 'POST /transfers':
        return this.createTransfer(params, key);
      case 'GET /transfers':
        return this.listTransfers(params);
      case 'GET /payment_intents/:id':
        return this.retrieveIntent(id ?? '', params);
      case 'GET /subscriptions/:id':
      case 'POST /subscriptions/:id':
      case 'DELETE /subscriptions/:id': {
        const sub = this.find(this.subscriptions, id ?? '', 'subscription').object;
        if (method === 'GET') return sub;
        if (sub.status === 'canceled') {
          // as Stripe answers any change to a canceled subscription
          throw new StripeFail(400, {
            type: 'invalid_request_error',
            message:
              'A canceled subscription can only update its cancellation_details and metadata.',
          });
        }
        if (method === 'DELETE') sub.status = 'canceled';
        else sub.cancel_at_period_end = text(params.cancel_at_period_end) === 'true';
        return sub;
      }
      case 'POST /accounts':
        return this.createAccount(params, key);
      case 'GET /accounts/:id':
        return this.find(this.accounts, id ?? '', 'account').object;
      case 'POST /account_links':
        return this.createAccountLink(params, key);
    }
    throw new StripeFail(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${method}: ${path}).`,
    });
  }

  private createSession(params: Form, key: string | undefined): Json {
    const [line] = Array.isArray(params.line_items) ? params.line_items : [];
    const price = form(form(line).price_data);
    const mode = text(params.mode) === 'subscription' ? 'subscription' : 'payment';
    const id = `cs_test_${token(24)}`;
    const object = {
      id,
      object: 'checkout.session',
      mode,
      status: 'open',
      payment_status: 'unpaid',
      amount_total: int(price.unit_amount, 'line_items[0][price_data][unit_amount]'),
      currency: text(price.currency) ?? 'usd',
      client_reference_id: text(params.client_reference_id) ?? null,
      customer_email: text(params.customer_email) ?? null,
      customer_details: null,
      metadata: form(params.metadata),
      success_url: text(params.success_url) ?? null,
      cancel_url: text(params.cancel_url) ?? null,
      payment_intent: null,
      subscription: null,
      url: `${this.url}/c/pay/${id}`,
      livemode: false,
      created: now(),
    };
    this.sessions.push({ object, params, idempotencyKey: key });
    return object;
  }

  /** Only an open session can be expired; a paid or expired one is refused as Stripe does. */
  private expireSession(id: string): Json {
    const session = this.find(this.sessions, id, 'checkout session').object;
    if (session.status !== 'open') {
      throw new StripeFail(400, {
        type: 'invalid_request_error',
        message: `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${String(session.status)}".`,
      });
    }
    Object.assign(session, { status: 'expired', url: null });
    return session;
  }

  private createRefund(params: Form, key: string | undefined): Json {
    const paymentId = text(params.payment_intent) ?? '';
    const intent = this.find(this.paymentIntents, paymentId, 'payment_intent', 'payment_intent');
    const total = Number(intent.object.amount);
    const refunded = this.refunds
      .filter((r) => r.object.payment_intent === paymentId)
      .reduce((sum, r) => sum + Number(r.object.amount), 0);
    const amount = params.amount === undefined ? total - refunded : int(params.amount, 'amount');
    if (amount <= 0 || amount > total - refunded) {
      throw new StripeFail(400, {
        type: 'invalid_request_error',
        code: 'amount_too_large',
        param: 'amount',
        message: 'Refund amount is greater than the unrefunded amount on the charge.',
      });
    }
    const object = {
      id: `re_${token()}`,
      object: 'refund',
      amount,
      currency: intent.object.currency,
      payment_intent: paymentId,
      charge: intent.object.latest_charge,
      status: 'succeeded',
      metadata: form(params.metadata),
      created: now(),
    };
    this.refunds.push({ object, params, idempotencyKey: key });
    return object;
  }

  private createTransfer(params: Form, key: string | undefined): Json {
    const destination = text(params.destination) ?? '';
    this.find(this.accounts, destination, 'destination', 'destination');
    const refusal = this.refusing.get(destination);
    if (refusal !== undefined) {
      throw new StripeFail(400, {
        type: 'invalid_request_error',
        code: refusal,
        param: 'destination',
        message:
          'Your destination account needs to have at least one of the following capabilities ' +
          'enabled: transfers, crypto_transfers, legacy_payments',
      });
    }
    const object = {
      id: `tr_${token()}`,
      object: 'transfer',
      amount: int(params.amount, 'amount'),
      currency: text(params.currency) ?? 'usd',
      destination,
      transfer_group: text(params.transfer_group) ?? null,
      metadata: form(params.metadata),
      reversed: false,
      amount_reversed: 0,
      livemode: false,
      created: now(),
    };
    this.transfers.push({ object, params, idempotencyKey: key });
    return object;
  }

  private listTransfers(params: Form): Json {
    const gte = Number(text(form(params.created).gte) ?? 0);
    const limit = Math.min(Number(text(params.limit) ?? 10), 100);
    // newest first, as Stripe lists
    let all = this.transfers
      .map((t) => t.object)
      .filter((t) => Number(t.created) >= gte)
      .reverse();
    const after = text(params.starting_after);
    if (after !== undefined) all = all.slice(all.findIndex((t) => t.id === after) + 1);
    return {
      object: 'list',
      url: '/v1/transfers',
      has_more: all.length > limit,
      data: all.slice(0, limit),
    };
  }

  private retrieveIntent(id: string, params: Form): Json {
    const intent = structuredClone(this.find(this.paymentIntents, id, 'payment_intent').object);
    const expand = Array.isArray(params.expand) ? params.expand : [];
    if (expand.some((e) => typeof e === 'string' && e.startsWith('latest_charge'))) {
      const charge = structuredClone(this.charges.get(String(intent.latest_charge)) ?? {});
      if (expand.includes('latest_charge.balance_transaction')) {
        charge.balance_transaction = this.balanceTransactions.get(
          String(charge.balance_transaction),
        );
      }
      intent.latest_charge = charge;
    }
    return intent;
  }

  private createAccount(params: Form, key: string | undefined): Json {
    const object = {
      id: `acct_${token(16)}`,
      object: 'account',
      type: text(params.type) ?? 'express',
      email: text(params.email) ?? null,
      metadata: form(params.metadata),
      details_submitted: false,
      payouts_enabled: false,
      charges_enabled: false,
      capabilities: { transfers: 'inactive' },
      created: now(),
    };
    this.accounts.push({ object, params, idempotencyKey: key });
    return object;
  }

  private createAccountLink(params: Form, key: string | undefined): Json {
    const account = text(params.account) ?? '';
    this.find(this.accounts, account, 'account', 'account');
    const object = {
      object: 'account_link',
      url: `${this.url}/setup/e/${account}/${token()}`,
      created: now(),
      expires_at: now() + 300,
    };
    this.accountLinks.push({ object, params, idempotencyKey: key });
    return object;
  }
}

export async function startFakeStripe(secretKey?: string): Promise<FakeStripe> {
  return new FakeStripe(secretKey).start();
}
