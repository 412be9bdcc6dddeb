import { readFileSync } from 'node:fs';

/** The process's open-files limits (`ulimit -n`), as Linux reports them. */
export interface OpenFilesLimit {
  soft: number;
  hard: number;
}

/**
 * Reads `RLIMIT_NOFILE` from /proc/self/limits. Node cannot raise it (that
 * needs setrlimit, a native call), and the mediasoup workers, being child
 * processes, inherit it: the launcher must raise it (`ulimit -n` in the
 * shell, `LimitNOFILE=` in a systemd unit). Undefined where /proc is absent.
 */
export function openFilesLimit(): OpenFilesLimit | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/self/limits', 'utf8');
  } catch {
    return undefined;
  }
  const match = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(text);
  if (!match) return undefined;
  const value = (field: string | undefined) =>
    field === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(field);
  return { soft: value(match[1]), hard: value(match[2]) };
}
