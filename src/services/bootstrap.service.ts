import type { DirectoryService } from './directory.service.js';
import type { KeysService } from './keys.service.js';

export interface Bootstrapped {
  readonly email: string;
  readonly workspaceId: number;
  readonly token: string;
}

/**
 * First start on an empty database: an owner, a "Default" workspace and a key with every
 * permission. Returns null when there is already a user (or another instance just made one).
 */
export async function bootstrapIfEmpty(directory: DirectoryService, keys: KeysService, email: string): Promise<Bootstrapped | null> {
  if ((await directory.countUsers()) > 0) return null;
  let user;
  try {
    user = await directory.createUser(email, 'Owner');
  } catch {
    // Another instance won the race to create the first user.
    return null;
  }
  const workspace = await directory.createWorkspace('Default', user.id);
  const key = await keys.create(user.id, { name: 'bootstrap' });
  return { email: user.email, workspaceId: workspace.id, token: key.token };
}
