import type { Db } from '../db/database.js';
import { now } from '../db/database.js';
import type { Role, User } from '../db/schema.js';
import { UsageError } from '../errors.js';
import { isRole } from './access.js';

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export interface WorkspaceSummary {
  readonly id: number;
  readonly name: string;
  readonly role: Role;
}

/** Users, workspaces and memberships: what the CLI manages and the API reads. */
export class DirectoryService {
  constructor(private readonly db: Db) {}

  async createUser(email: string, name: string | null = null): Promise<User> {
    const normalized = email.trim().toLowerCase();
    if (!EMAIL.test(normalized) || normalized.length > 320) {
      throw new UsageError(`Not an email address: ${JSON.stringify(email)}`);
    }
    if (await this.findUser(normalized)) throw new UsageError(`A user with email ${normalized} already exists.`);
    return this.db
      .insertInto('users')
      .values({ email: normalized, name, created_at: now() })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async findUser(email: string): Promise<User | undefined> {
    return this.db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  }

  async requireUser(email: string): Promise<User> {
    const user = await this.findUser(email);
    if (!user) throw new UsageError(`No user with email ${email}.`);
    return user;
  }

  async countUsers(): Promise<number> {
    const row = await this.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Creates a workspace with its owner in one transaction. */
  async createWorkspace(name: string, ownerId: number): Promise<{ id: number; name: string }> {
    const trimmed = name.trim();
    if (trimmed.length === 0 || trimmed.length > 255) throw new UsageError('A workspace name has 1 to 255 characters.');
    return this.db.transaction().execute(async (trx) => {
      const ws = await trx
        .insertInto('workspaces')
        .values({ name: trimmed, created_at: now() })
        .returning(['id', 'name'])
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('members')
        .values({ workspace_id: ws.id, user_id: ownerId, role: 'owner', created_at: now() })
        .execute();
      return ws;
    });
  }

  /** Adds a member, or changes the role of an existing one. */
  async addMember(workspaceId: number, userId: number, role: string): Promise<void> {
    if (!isRole(role)) throw new UsageError(`Unknown role ${JSON.stringify(role)}: owner, admin, editor or viewer.`);
    const ws = await this.db.selectFrom('workspaces').select('id').where('id', '=', workspaceId).executeTakeFirst();
    if (!ws) throw new UsageError(`No workspace with id ${workspaceId}.`);
    await this.db
      .insertInto('members')
      .values({ workspace_id: workspaceId, user_id: userId, role, created_at: now() })
      .onConflict((oc) => oc.columns(['workspace_id', 'user_id']).doUpdateSet({ role }))
      .execute();
  }

  async workspacesOf(userId: number): Promise<WorkspaceSummary[]> {
    return this.db
      .selectFrom('members')
      .innerJoin('workspaces', 'workspaces.id', 'members.workspace_id')
      .select(['workspaces.id', 'workspaces.name', 'members.role'])
      .where('members.user_id', '=', userId)
      .orderBy('workspaces.id')
      .execute();
  }
}
