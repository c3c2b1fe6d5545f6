// Development outbox: what the app "sent" without SMTP. Registered only outside production, and
// even there it holds everyone's mail (sign-in and reset links, receipts): it answers only a
// request from this machine or an admin, whatever NODE_ENV says.
import { BlockList, isIP } from 'node:net';
import Html from '@kitajs/html';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../db/database.js';
import { notFound } from '../errors.js';
import { render } from '../views/render.js';
import { findMessage, listMessages } from './outbox.repository.js';

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/g;

/** Escapes the text and turns its URLs into links, so mailed links can be followed here. */
export function linkify(text: string): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    html += Html.escapeHtml(text.slice(last, match.index));
    const url = Html.escapeHtml(match[0]);
    html += `<a href="${url}">${url}</a>`;
    last = match.index + match[0].length;
  }
  return html + Html.escapeHtml(text.slice(last));
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/**
 * The client is this machine: `request.ip` is the socket's address, or behind a proxy on this
 * machine (trustProxy 'loopback') the client address the proxy forwarded, so a visitor through
 * Caddy is not local although Caddy connects from 127.0.0.1.
 */
export function fromThisMachine(request: FastifyRequest): boolean {
  const address = request.ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  const family = isIP(address);
  return family !== 0 && loopback.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

function formatTime(date: Date): string {
  return date.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

export async function outboxPages(app: FastifyInstance, opts: { db: Db }) {
  // Anyone else is told nothing is here, as on the admin pages.
  app.addHook('preHandler', async (request) => {
    if (!fromThisMachine(request) && !request.principal?.user.isAdmin) throw notFound('page');
  });

  app.get('/dev/outbox', async (_request, reply) => {
    const messages = await listMessages(opts.db, 100);
    const body = (
      <section class="wrap outbox">
        <h1>Outbox</h1>
        <p>
          Mail the app sent while no SMTP server is configured. This page exists outside production
          only, for visitors on this machine and admins.
        </p>
        {messages.length === 0 ? (
          <p class="outbox__empty">Nothing has been sent yet.</p>
        ) : (
          <div class="outbox__scroll">
            <table class="outbox__table">
              <caption class="visually-hidden">Messages, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">To</th>
                  <th scope="col">Subject</th>
                  <th scope="col">Queued</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {messages.map((m) => (
                  <tr>
                    <td safe>{m.to_address}</td>
                    <td>
                      <a href={`/dev/outbox/${m.id}`} safe>
                        {m.subject}
                      </a>
                    </td>
                    <td safe>{formatTime(m.created_at)}</td>
                    <td>{m.status}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    );
    return render(reply, { title: 'Outbox', body });
  });

  app.get('/dev/outbox/:id', async (request, reply) => {
    const params = z.object({ id: z.uuid() }).safeParse(request.params);
    const message = params.success ? await findMessage(opts.db, params.data.id) : undefined;
    if (!message) throw notFound('message');
    const safeBodyHtml = linkify(message.text_body);
    const body = (
      <article class="wrap outbox">
        <p>
          <a href="/dev/outbox">Back to the outbox</a>
        </p>
        <h1 safe>{message.subject}</h1>
        <dl class="outbox__meta">
          <dt>To</dt>
          <dd safe>{message.to_address}</dd>
          <dt>Queued</dt>
          <dd safe>{formatTime(message.created_at)}</dd>
          <dt>Status</dt>
          <dd>{message.status}</dd>
        </dl>
        <pre class="outbox__body">{safeBodyHtml}</pre>
      </article>
    );
    return render(reply, { title: message.subject, body });
  });
}
