// The item page's player and downloads. Without script, a native <audio>/<video> with controls
// plays through /play/<item> (a redirect to a short-lived signed URL) and downloads are plain
// links to /download/<file>. With script (src/public/player.js) the audio player becomes a
// waveform with a play button and a keyboard-operable position slider, and chapters seek.
import type { ItemMedia, PlaybackView } from '../../files/index.js';
import { assetUrl } from '../../../platform/http/static-assets.js';
import { formatDuration, formatFileSize, isoDuration } from './format.js';
import type { ChapterView } from './item-page.js';

function Waveform(props: { peaks: readonly number[]; class: string }) {
  const bars = props.peaks.length > 0 ? props.peaks : new Array<number>(120).fill(0.08);
  return (
    <svg
      class={props.class}
      viewBox={`0 0 ${bars.length} 100`}
      preserveAspectRatio="none"
      aria-hidden="true"
      focusable="false"
    >
      {bars.map((peak, index) => {
        const height = Math.max(4, Math.round(peak * 100));
        return (
          <rect x={index + 0.15} width="0.7" y={(100 - height) / 2} height={height} rx="0.3" />
        );
      })}
    </svg>
  );
}

function ChapterList(props: { chapters: readonly ChapterView[] }) {
  if (props.chapters.length === 0) return <></>;
  return (
    <>
      <h3 class="player__chapters-title" id="chapters-title">
        Chapters
      </h3>
      <ol class="chapters" role="list" aria-labelledby="chapters-title">
        {props.chapters.map((chapter) => (
          <li>
            <button
              type="button"
              class="chapters__seek"
              data-seek={String(chapter.startSeconds)}
              disabled
            >
              <time class="chapters__time" datetime={isoDuration(chapter.startSeconds)} safe>
                {formatDuration(chapter.startSeconds)}
              </time>{' '}
              <span safe>{chapter.title}</span>
            </button>
          </li>
        ))}
      </ol>
    </>
  );
}

export function Player(props: {
  player: PlaybackView;
  title: string;
  chapters: readonly ChapterView[];
  /** who gets the whole thing, for the preview's note */
  forWhom: 'buyers' | 'members';
}): JSX.Element {
  const { player } = props;
  const seconds = player.durationMs ? Math.round(player.durationMs / 1000) : 0;
  const src = player.src;
  const heading = player.preview
    ? `${player.kind === 'video' ? 'Watch' : 'Listen to'} a preview`
    : player.kind === 'video'
      ? 'Watch'
      : 'Listen';
  return (
    <section
      class="catalog-section player"
      aria-labelledby="player-title"
      data-player
      data-src={src}
      data-title={props.title}
      data-duration={String(seconds)}
    >
      <h2 id="player-title" class="catalog-section__title" safe>
        {heading}
      </h2>
      {player.kind === 'audio' ? (
        <>
          <div class="player__body" hidden>
            <button
              type="button"
              class="player__toggle"
              data-player-toggle
              aria-label={`Play ${props.title}`}
            >
              <svg class="player__icon player__icon--play" viewBox="0 0 24 24" aria-hidden="true">
                <path d="M8 5v14l11-7z" />
              </svg>
              <svg class="player__icon player__icon--pause" viewBox="0 0 24 24" aria-hidden="true">
                <path d="M7 5h4v14H7zM13 5h4v14h-4z" />
              </svg>
            </button>
            <div
              class="player__wave"
              data-player-seek
              role="slider"
              tabindex="0"
              aria-label="Position"
              aria-valuemin="0"
              aria-valuemax={String(seconds)}
              aria-valuenow="0"
              aria-valuetext={`0:00 of ${formatDuration(seconds)}`}
            >
              <Waveform peaks={player.peaks} class="player__bars" />
              <div class="player__progress" data-player-progress>
                <Waveform peaks={player.peaks} class="player__bars player__bars--played" />
              </div>
            </div>
            <span class="player__time" data-player-time safe>
              {`0:00 / ${formatDuration(seconds)}`}
            </span>
          </div>
          <audio class="player__native" controls="" preload="none" src={src} data-player-audio>
            <a href={src}>Play the audio</a>
          </audio>
        </>
      ) : (
        <video
          class="player__video"
          controls
          {...{ preload: 'none', playsinline: true }}
          src={src}
          poster={player.posterSrc}
        >
          <a href={src}>Play the video</a>
        </video>
      )}
      {player.preview ? (
        <p class="player__note" safe>
          {`${player.previewSeconds ? `A ${player.previewSeconds}-second preview` : 'A preview'}. ${
            props.forWhom === 'members' ? 'Members' : 'Those who buy it'
          } ${player.kind === 'video' ? 'see' : 'hear'} the whole thing.`}
        </p>
      ) : (
        ''
      )}
      <ChapterList chapters={props.chapters} />
      <script src={assetUrl('player.js')} defer></script>
    </section>
  );
}

export function Downloads(props: { media: ItemMedia }): JSX.Element {
  const { downloads, downloadsLocked } = props.media;
  if (downloads.length === 0 && !downloadsLocked) return <></>;
  return (
    <section class="catalog-section" aria-labelledby="downloads-title">
      <h2 id="downloads-title" class="catalog-section__title">
        Downloads
      </h2>
      {downloads.length > 0 ? (
        <ul class="downloads" role="list">
          {downloads.map((file) => (
            <li class="downloads__file">
              <a class="button button--secondary" href={file.href}>
                Download{' '}
                <span class="downloads__name" safe>
                  {file.name}
                </span>
              </a>
              {file.size !== null ? (
                <span class="downloads__size" safe>
                  {formatFileSize(file.size)}
                </span>
              ) : (
                ''
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p>The files come with buying this item.</p>
      )}
    </section>
  );
}
