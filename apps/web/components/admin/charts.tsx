// Plain SVG charts (no chart library): bars per day and a two-series line, each with a text summary
// and a data table for screen readers.

type Point = { label: string; value: number | null };

const WIDTH = 600;
const HEIGHT = 160;
const PAD = { top: 10, right: 8, bottom: 22, left: 36 };

/** Room on the left for the y axis's largest label ("2000 ms"), so it is never clipped (10px text). */
function padFor(label: string): typeof PAD {
  return { ...PAD, left: Math.max(PAD.left, Math.ceil(label.length * 6.5) + 10) };
}

function niceMax(values: number[]): number {
  const max = Math.max(1, ...values);
  const magnitude = 10 ** Math.floor(Math.log10(max));
  return Math.ceil(max / magnitude) * magnitude;
}

function shortDay(label: string): string {
  return label.slice(5);
}

/** A bar chart of one value per day. */
export function BarChart({ title, points, unit = '' }: { title: string; points: Point[]; unit?: string }) {
  const max = niceMax(points.map((point) => point.value ?? 0));
  const pad = padFor(`${max}`);
  const innerW = WIDTH - pad.left - pad.right;
  const innerH = HEIGHT - pad.top - pad.bottom;
  const step = innerW / Math.max(points.length, 1);
  const total = points.reduce((sum, point) => sum + (point.value ?? 0), 0);
  return (
    <figure className="flex flex-col gap-2">
      <figcaption className="text-sm font-medium">{title}</figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        className="h-auto w-full"
        role="img"
        aria-label={`${title}: ${total}${unit} in total`}
      >
        <line
          x1={pad.left}
          x2={WIDTH - pad.right}
          y1={pad.top + innerH}
          y2={pad.top + innerH}
          className="stroke-border"
        />
        <text x={pad.left - 6} y={pad.top + 8} textAnchor="end" className="fill-muted-foreground text-[10px]">
          {max}
        </text>
        <text
          x={pad.left - 6}
          y={pad.top + innerH}
          textAnchor="end"
          className="fill-muted-foreground text-[10px]"
        >
          0
        </text>
        {points.map((point, index) => {
          const h = ((point.value ?? 0) / max) * innerH;
          return (
            <rect
              key={point.label}
              x={pad.left + index * step + step * 0.15}
              y={pad.top + innerH - h}
              width={step * 0.7}
              height={h}
              rx={1.5}
              className="fill-primary"
            >
              <title>{`${point.label}: ${point.value ?? 0}${unit}`}</title>
            </rect>
          );
        })}
        {points.map((point, index) =>
          index % Math.ceil(points.length / 6) === 0 ? (
            <text
              key={point.label}
              x={pad.left + index * step + step / 2}
              y={HEIGHT - 6}
              textAnchor="middle"
              className="fill-muted-foreground text-[10px]"
            >
              {shortDay(point.label)}
            </text>
          ) : null,
        )}
      </svg>
    </figure>
  );
}

/** Two series over days (e.g. latency p50 and p95); days without data leave gaps. */
export function LineChart({
  title,
  series,
  unit = '',
}: {
  title: string;
  series: { name: string; points: Point[]; className: string }[];
  unit?: string;
}) {
  const max = niceMax(series.flatMap((entry) => entry.points.map((point) => point.value ?? 0)));
  const pad = padFor(`${max}${unit}`);
  const innerW = WIDTH - pad.left - pad.right;
  const innerH = HEIGHT - pad.top - pad.bottom;
  const count = series[0]?.points.length ?? 0;
  const x = (index: number) => pad.left + (count <= 1 ? innerW / 2 : (index / (count - 1)) * innerW);
  const y = (value: number) => pad.top + innerH - (value / max) * innerH;
  return (
    <figure className="flex flex-col gap-2">
      <figcaption className="flex flex-wrap items-center gap-3 text-sm font-medium">
        {title}
        {series.map((entry) => (
          <span
            key={entry.name}
            className="flex items-center gap-1 text-xs font-normal text-muted-foreground"
          >
            <svg width="14" height="4" aria-hidden="true">
              <line x1="0" x2="14" y1="2" y2="2" strokeWidth="3" className={entry.className} />
            </svg>
            {entry.name}
          </span>
        ))}
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="h-auto w-full" role="img" aria-label={title}>
        <line
          x1={pad.left}
          x2={WIDTH - pad.right}
          y1={pad.top + innerH}
          y2={pad.top + innerH}
          className="stroke-border"
        />
        <text x={pad.left - 6} y={pad.top + 8} textAnchor="end" className="fill-muted-foreground text-[10px]">
          {max}
          {unit}
        </text>
        {series.map((entry) => {
          const segments: string[] = [];
          let current = '';
          entry.points.forEach((point, index) => {
            if (point.value === null) {
              if (current) segments.push(current);
              current = '';
              return;
            }
            current += `${current ? 'L' : 'M'}${x(index).toFixed(1)},${y(point.value).toFixed(1)}`;
          });
          if (current) segments.push(current);
          return (
            <g key={entry.name}>
              {segments.map((d) => (
                <path key={d} d={d} fill="none" strokeWidth={2} className={entry.className} />
              ))}
              {entry.points.map((point, index) =>
                point.value === null ? null : (
                  <circle
                    key={point.label}
                    cx={x(index)}
                    cy={y(point.value)}
                    r={2.5}
                    className={entry.className.replace('stroke-', 'fill-')}
                  >
                    <title>{`${entry.name} ${point.label}: ${point.value}${unit}`}</title>
                  </circle>
                ),
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
