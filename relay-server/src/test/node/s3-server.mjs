// A real S3-compatible server (s3rver) for the S3 blob-store tests: serves the given directory on 127.0.0.1,
// on a free port, with the given buckets; prints "s3rver listening <port>" and runs until stdin closes.
import S3rver from 's3rver';

const [directory, ...buckets] = process.argv.slice(2);
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory,
  configureBuckets: buckets.map((name) => ({ name })),
});
const { port } = await server.run();
console.log(`s3rver listening ${port}`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await server.close();
  process.exit(0);
});
