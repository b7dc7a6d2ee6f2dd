import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

type ProfileNode = {
  id: number;
  hitCount?: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
};
type CpuProfile = { nodes: ProfileNode[] };

/** Where a profiled function lives: a package, our code, or Node/V8 internals. */
function owner(url: string): string {
  if (url === '') return '(native / idle / GC)';
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pnpm?.[1]) return pnpm[1];
  const plain = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (plain?.[1]) return plain[1];
  const ours = /\/(apps\/[^/]+|packages\/[^/]+)\//.exec(url);
  if (ours?.[1]) return ours[1];
  if (url.startsWith('node:')) return 'node core';
  return url;
}

export type ProfileSummary = {
  byOwner: [string, number][];
  byCaller: [string, number][];
  byFunction: [string, number][];
};

/** Self-time shares of the first .cpuprofile in `dir`, by package and by function. */
export function summarizeProfile(dir: string, top = 12): ProfileSummary | null {
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) return null;
  const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
  const total = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0) || 1;
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const byCaller = new Map<string, number>();
  const parent = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
  const isOurs = (node: ProfileNode): boolean => {
    const who = owner(node.callFrame.url);
    return who !== '(native / idle / GC)' && who !== 'node core';
  };
  for (const node of profile.nodes) {
    let caller: ProfileNode | undefined = node;
    while (caller && !isOurs(caller)) caller = parent.get(caller.id);
    const charged =
      node.callFrame.functionName === '(idle)'
        ? '(idle)'
        : caller
          ? owner(caller.callFrame.url)
          : owner(node.callFrame.url);
    byCaller.set(charged, (byCaller.get(charged) ?? 0) + (node.hitCount ?? 0));
  }
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    const who = functionName === '(idle)' ? '(idle)' : owner(url);
    byOwner.set(who, (byOwner.get(who) ?? 0) + hits);
    const name = `${functionName || '(anonymous)'} ${who}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
  }
  const share = (map: Map<string, number>): [string, number][] =>
    [...map.entries()]
      .map(([name, hits]): [string, number] => [name, hits / total])
      .sort((a, b) => b[1] - a[1])
      .slice(0, top);
  return { byOwner: share(byOwner), byCaller: share(byCaller), byFunction: share(byFunction) };
}
