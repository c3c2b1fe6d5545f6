// A bar chart drawn on the server as SVG (no script, no library): this period's buckets as bars,
// the period before as a dashed line over them. The viewBox scales it to any width. Screen
// readers get a role="img" with a title and a summary, and a visually hidden table of the
// same numbers.

export interface ChartProps {
  /** unique on the page: ids of the title, summary and table derive from it */
  id: string;
  title: string;
  summary: string;
  unit: 'day' | 'month';
  /** bucket starts, YYYY-MM-DD, oldest first */
  starts: readonly string[];
  current: readonly number[];
  previous: readonly number[];
  format: (value: number) => string;
  /** whole numbers only on the axis (counts) */
  integer?: boolean;
  currentLabel: string;
  previousLabel: string;
}

const WIDTH = 480;
const HEIGHT = 260;
// Room at both sides for the first and last date label, which are centred under their bars.
const PLOT = { left: 26, right: WIDTH - 26, top: 28, bottom: 218 };

const DAY_LABEL = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
});
const MONTH_LABEL = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' });
const LONG_DAY = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });
const LONG_MONTH = new Intl.DateTimeFormat('en-GB', {
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

export function bucketLabel(start: string, unit: 'day' | 'month', long = false): string {
  const date = new Date(`${start}T00:00:00Z`);
  if (long) return (unit === 'day' ? LONG_DAY : LONG_MONTH).format(date);
  return (unit === 'day' ? DAY_LABEL : MONTH_LABEL).format(date);
}

/** 1, 2 or 5 times a power of ten, at least `value`. */
export function niceCeiling(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((f) => f * power >= value) ?? 10;
  return step * power;
}

function ticksFor(max: number, integer: boolean | undefined): number[] {
  const middle = max / 2;
  return integer && !Number.isInteger(middle) ? [0, max] : [0, middle, max];
}

/** Every label fits at phone width: all 7 days, every 7th of 30 days, every 3rd month. */
function labelEvery(count: number): number {
  if (count <= 7) return 1;
  return count <= 12 ? 3 : 7;
}

export function SalesChart(props: ChartProps): JSX.Element {
  const n = Math.max(1, props.current.length);
  const max = niceCeiling(Math.max(...props.current, ...props.previous, 0));
  const height = PLOT.bottom - PLOT.top;
  const y = (value: number) => PLOT.bottom - (value / max) * height;
  const slot = (PLOT.right - PLOT.left) / n;
  const centre = (i: number) => PLOT.left + slot * (i + 0.5);
  const barWidth = Math.max(2, slot * 0.62);
  const every = labelEvery(n);
  const previousLine = props.previous
    .slice(-n)
    .map((value, i) => `${centre(i).toFixed(1)},${y(value).toFixed(1)}`)
    .join(' ');
  const titleId = `${props.id}-title`;
  const descId = `${props.id}-desc`;
  return (
    <figure class="chart" aria-labelledby={`${props.id}-caption`}>
      <figcaption class="chart__caption" id={`${props.id}-caption`} safe>
        {props.title}
      </figcaption>
      <svg
        class="chart__svg"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        focusable="false"
      >
        <title id={titleId} safe>
          {props.title}
        </title>
        <desc id={descId} safe>
          {props.summary}
        </desc>
        {ticksFor(max, props.integer).map((tick) => (
          <g class="chart__tick">
            <line x1={0} x2={WIDTH} y1={y(tick)} y2={y(tick)} />
            <text x={0} y={y(tick) - 6} safe>
              {props.format(tick)}
            </text>
          </g>
        ))}
        {props.current.map((value, i) =>
          value > 0 ? (
            <rect
              class="chart__bar"
              x={(centre(i) - barWidth / 2).toFixed(1)}
              y={y(value).toFixed(1)}
              width={barWidth.toFixed(1)}
              height={(PLOT.bottom - y(value)).toFixed(1)}
              rx="2"
            />
          ) : (
            ''
          ),
        )}
        {previousLine ? <polyline class="chart__previous" points={previousLine} /> : ''}
        {props.starts.map((start, i) =>
          (n - 1 - i) % every === 0 ? (
            <text
              class={
                every > 1 || (n - 1 - i) % 2 === 0
                  ? 'chart__label'
                  : 'chart__label chart__label--minor'
              }
              x={centre(i).toFixed(1)}
              y={HEIGHT - 14}
              safe
            >
              {bucketLabel(start, props.unit)}
            </text>
          ) : (
            ''
          ),
        )}
      </svg>
      <ul class="chart__legend" aria-hidden="true">
        <li class="chart__key chart__key--current" safe>
          {props.currentLabel}
        </li>
        <li class="chart__key chart__key--previous" safe>
          {props.previousLabel}
        </li>
      </ul>
      {/* in a div: a table ignores width, so it cannot be the hidden box itself */}
      <div class="visually-hidden">
        <table>
          <caption safe>{`${props.title}, by ${props.unit}`}</caption>
          <thead>
            <tr>
              <th scope="col">{props.unit === 'day' ? 'Day' : 'Month'}</th>
              <th scope="col" safe>
                {props.currentLabel}
              </th>
              <th scope="col" safe>
                {props.previousLabel}
              </th>
            </tr>
          </thead>
          <tbody>
            {props.starts.map((start, i) => (
              <tr>
                <th scope="row" safe>
                  {bucketLabel(start, props.unit, true)}
                </th>
                <td safe>{props.format(props.current[i] ?? 0)}</td>
                <td safe>{props.format(props.previous[i] ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
