export type Row = {
  figure: string;
  ours: string;
  raw: string;
  /** ours / raw in the direction the goal is stated (see `goal`). */
  ratio: string;
  goal: string;
  /** null: no goal, or not measurable. */
  met: boolean | null;
};

export const ms = (value: number): string => (value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`);
export const rate = (value: number, unit: string): string => `${Math.round(value).toLocaleString('en-US')} ${unit}`;
export const times = (value: number): string => `${value.toFixed(2)}x`;
export const pct = (value: number): string => `${(value * 100).toFixed(0)}%`;
