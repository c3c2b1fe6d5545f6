// @fastify/multipart with its request hooks on multipart requests only. The plugin adds two
// hooks to every request (an async onRequest that listens for the response closing early, an
// async onResponse) to delete the temporary files a multipart body may have left; a request
// without a multipart body can have none, yet paid two promises and a listener on every page
// view. Registered through this wrapper, the plugin's parser and decorators are its own; its
// onRequest and onResponse hooks run only when the request's Content-Type is multipart.
import { fastifyMultipart, type FastifyMultipartOptions } from '@fastify/multipart';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import fp from 'fastify-plugin';

/** The request carries a multipart body (the only kind that can leave temporary files). */
export function isMultipartRequest(request: FastifyRequest): boolean {
  const type = request.headers['content-type'];
  return type !== undefined && /^\s*multipart\//i.test(type);
}

type RequestHook = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

function onlyForMultipart(hook: RequestHook) {
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (!isMultipartRequest(request)) {
      done();
      return;
    }
    hook(request, reply).then(() => done(), done);
  };
}

async function multipart(app: FastifyInstance, opts: FastifyMultipartOptions) {
  const wrapped = new Proxy(app, {
    get(target, property) {
      if (property === 'addHook') {
        return (name: string, hook: RequestHook) =>
          name === 'onRequest' || name === 'onResponse'
            ? target.addHook(name, onlyForMultipart(hook))
            : (target.addHook as (n: string, h: RequestHook) => FastifyInstance)(name, hook);
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
  await new Promise<void>((resolve, reject) => {
    fastifyMultipart(wrapped, opts, (error?: Error) => (error ? reject(error) : resolve()));
  });
}

export default fp(multipart, { name: '@fastify/multipart' });
