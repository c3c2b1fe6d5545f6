// The knobs of the media worker. Paths and limits come from the caller (src/config.ts is the
// only reader of the environment); tests point ffmpeg at a missing binary to simulate a server
// without it.
import { DEFAULT_IMAGE_LIMITS, type ImageLimits } from '../../platform/images/index.js';
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from './archive.inspector.js';
import { DEFAULT_MEDIA_TOOLS, type MediaTools } from './media-tools.js';

export interface MediaOptions {
  tools?: Partial<MediaTools>;
  archiveLimits?: Partial<ArchiveLimits>;
  imageLimits?: Partial<ImageLimits>;
}

export interface ResolvedMediaOptions {
  tools: MediaTools;
  archiveLimits: ArchiveLimits;
  imageLimits: ImageLimits;
}

export function resolveMediaOptions(options: MediaOptions = {}): ResolvedMediaOptions {
  return {
    tools: { ...DEFAULT_MEDIA_TOOLS, ...options.tools },
    archiveLimits: { ...DEFAULT_ARCHIVE_LIMITS, ...options.archiveLimits },
    imageLimits: { ...DEFAULT_IMAGE_LIMITS, ...options.imageLimits },
  };
}
