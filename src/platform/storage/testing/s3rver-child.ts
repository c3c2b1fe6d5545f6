// Runs s3rver in a child process for the storage tests. s3rver encrypts ListObjectsV2
// continuation tokens with DES, which Node's OpenSSL 3 only offers with
// --openssl-legacy-provider; that flag belongs in a throwaway process, not the test runner.
// Usage: node --openssl-legacy-provider --import tsx s3rver-child.ts <directory> <bucket> [port]
// Prints {"port": n} once listening; exits on SIGTERM or when its parent closes stdin.
import S3rver from 's3rver';

const [directory, bucket, port] = process.argv.slice(2);
if (directory === undefined || bucket === undefined) {
  throw new Error('usage: s3rver-child.ts <directory> <bucket>');
}
const server = new S3rver({
  address: '127.0.0.1',
  port: port === undefined ? 0 : Number(port),
  silent: true,
  directory,
  configureBuckets: [{ name: bucket }],
});
const address = await server.run();
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);

const stop = () => {
  void server.close().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
// A parent that dies without cleaning up closes our stdin: never outlive it.
process.stdin.once('end', stop).resume();
