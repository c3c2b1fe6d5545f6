// The system tools the tests drive: Debian's chromium (browser journeys) and ffmpeg/ffprobe
// (media processing), caddy, pg_dump, rsync and the AWS CLI (deploy kit tests). `npm test` checks for them first; on a fresh Debian machine where it runs
// as root it installs what is missing with apt-get (as .ci/run does), otherwise it stops with
// one line saying what to install. The platform itself runs without them (see README).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

function onPath(command: string): boolean {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir !== '' && existsSync(path.join(dir, command)));
}

/** Debian package → whether it is already there. */
function missingPackages(): string[] {
  const missing: string[] = [];
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) missing.push('chromium');
  if (!onPath('ffmpeg') || !onPath('ffprobe')) missing.push('ffmpeg');
  // the multi-instance test runs Caddy; the backup test runs deploy/backup.sh and restore.sh
  if (!onPath('caddy')) missing.push('caddy');
  if (!onPath('pg_dump') || !onPath('pg_restore')) missing.push('postgresql-client');
  if (!onPath('rsync')) missing.push('rsync');
  // the backup test mirrors S3 storage (s3rver) with the AWS CLI
  if (!onPath('aws')) missing.push('awscli');
  return missing;
}

export function ensureSystemTools(): void {
  const missing = missingPackages();
  if (missing.length === 0) return;
  const canInstall = process.getuid?.() === 0 && onPath('apt-get');
  if (!canInstall) {
    throw new Error(
      `npm test needs ${missing.join(' and ')}: apt-get install ${missing.join(' ')} ` +
        '(or set CHROMIUM_PATH / put ffmpeg on PATH)',
    );
  }
  console.log(`npm test: installing ${missing.join(', ')} with apt-get (needed by the tests)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    stdio: 'inherit',
    env,
  });
}
