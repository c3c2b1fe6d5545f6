import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import fastify from 'fastify';
import { pino } from 'pino';
import { generateRequestId } from './http/request-context.js';
import { RequestLogController } from './log.js';

/** The app's logger settings, writing JSON lines into an array instead of stdout. */
function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const app = fastify({
    loggerInstance: pino({ level }, stream),
    genReqId: generateRequestId,
    logController: new RequestLogController(),
  });
  app.get('/items/:id', async () => ({ ok: true }));
  return { app, lines };
}

test('one log line per request, at completion: method, URL, status, time and request id', async () => {
  const { app, lines } = capture('info');
  const res = await app.inject({
    url: '/items/42?ref=feed',
    headers: { 'x-request-id': 'trace-12345678' },
  });
  assert.equal(res.statusCode, 200);
  const missing = await app.inject({ url: '/nowhere' });
  assert.equal(missing.statusCode, 404);
  await app.close();

  const requests = lines.filter((line) => line.reqId !== undefined);
  const served = requests.filter((line) => line.reqId === 'trace-12345678');
  assert.equal(served.length, 1, JSON.stringify(served));
  const [line] = served;
  assert.ok(line);
  assert.equal(line.msg, 'request completed');
  assert.deepEqual(line.req, { method: 'GET', url: '/items/42?ref=feed' });
  assert.deepEqual(line.res, { statusCode: 200 });
  assert.equal(typeof line.responseTime, 'number');
  assert.ok(
    requests.some((l) => l.msg === 'request completed' && l.reqId !== 'trace-12345678'),
    'the 404 is logged too',
  );
  assert.ok(!lines.some((l) => l.msg === 'incoming request'));
});

test('above info, requests write no line at all', async () => {
  const { app, lines } = capture('warn');
  await app.inject({ url: '/items/1' });
  await app.close();
  assert.deepEqual(lines, []);
});
