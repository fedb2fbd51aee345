/**
 * Who may do what with a file. The token is the caller's email; the creator owns the file;
 * Drive permissions grant reader, commenter or writer. Group permissions match only a caller
 * whose email is the group address itself (the emulator has no group membership directory).
 */
import type { DriveFileState, PermissionRole } from './types.js';

export type AccessLevel = 'none' | 'reader' | 'commenter' | 'writer' | 'owner';

const RANK: Record<AccessLevel, number> = { none: 0, reader: 1, commenter: 2, writer: 3, owner: 4 };

function levelOfRole(role: PermissionRole): AccessLevel {
  switch (role) {
    case 'owner':
      return 'owner';
    case 'organizer':
    case 'fileOrganizer':
    case 'writer':
      return 'writer';
    case 'commenter':
      return 'commenter';
    default:
      return 'reader';
  }
}

export function sameEmail(left: string | undefined, right: string | undefined): boolean {
  return left !== undefined && right !== undefined && left.toLowerCase() === right.toLowerCase();
}

export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

export function accessOf(file: DriveFileState, user: string): AccessLevel {
  if (sameEmail(file.ownerEmail, user)) return 'owner';
  let best: AccessLevel = 'none';
  for (const permission of file.permissions) {
    const applies =
      permission.type === 'anyone' ||
      ((permission.type === 'user' || permission.type === 'group') && sameEmail(permission.emailAddress, user)) ||
      (permission.type === 'domain' &&
        permission.domain !== undefined &&
        permission.domain.toLowerCase() === domainOf(user));
    if (!applies) continue;
    const level = levelOfRole(permission.role);
    if (RANK[level] > RANK[best]) best = level;
  }
  return best;
}

export function atLeast(level: AccessLevel, required: AccessLevel): boolean {
  return RANK[level] >= RANK[required];
}

/** A readable name for an email, as Drive shows for accounts without a profile name. */
export function displayNameOf(email: string): string {
  return email.split('@')[0] ?? email;
}
