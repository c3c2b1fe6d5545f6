// The page baseline of `npm run bench`: the honest ceiling for a Node page. A bare Fastify
// process with a pg pool (the app's size, 10) serving GET /page/:id: it reads one row by
// primary key (the bench's item: title, description, body) with a prepared statement, escapes
// those values as the app's templates do (@kitajs/html's escapeHtml) and sends them in a fixed
// HTML shell padded to PAGE_BYTES, the size of the app's item page, so both put the same bytes
// on the wire. No hooks, no logger, no session, no headers beyond Fastify's own.
import { escapeHtml } from '@kitajs/html';
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const target = Number(process.env.PAGE_BYTES ?? 6000);

const app = Fastify({ logger: false });
app.get<{ Params: { id: string } }>('/page/:id', async (request, reply) => {
  const { rows } = await pool.query<{ title: string; description: string; body: string }>({
    name: 'bare_page',
    text: 'select title, description, body from items where id = $1',
    values: [request.params.id],
  });
  const row = rows[0];
  if (!row) return reply.code(404).send('not found');
  const head = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(row.title)}</title></head><body><main><h1>${escapeHtml(row.title)}</h1><p>${escapeHtml(row.description)}</p><div>${escapeHtml(row.body)}</div>`;
  const tail = '</main></body></html>';
  const padding = Math.max(0, target - Buffer.byteLength(head) - tail.length - 7);
  return reply.type('text/html; charset=utf-8').send(`${head}<!--${' '.repeat(padding)}-->${tail}`);
});
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log('bare page server listening');
process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => pool.end())
    .then(() => process.exit(0));
});
