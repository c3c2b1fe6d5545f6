// The baseline of `npm run bench`: a bare Fastify hello-world app in its own process, started the
// way the real server is (node --import tsx), so the bench compares the app with the cheapest
// answer Fastify can give on the same machine in the same run. GET / answers a short text;
// POST /webhook reads a JSON body and answers { received: true } (the webhook row's baseline).
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => 'hello world');
app.post('/webhook', async () => ({ received: true }));
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log('bare server listening');
process.on('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
