import { pageSchema } from '../../shared/api-schemas.ts';
import { namedRecordRoutes } from '../named-records/named-record.routes.ts';
import * as service from './accounts.service.ts';

/** Client companies (accounts): list and search, add, read one, change. */
export const accountRoutes = namedRecordRoutes({
  path: '/api/v1/accounts',
  tag: 'accounts',
  read: 'accounts:read',
  write: 'accounts:write',
  summaries: {
    list: 'Client companies, searchable',
    create: 'Add a client company',
    get: 'One client company',
    update: 'Change a client company',
  },
  listQuery: service.listAccountsSchema,
  listResponse: pageSchema(service.accountJsonSchema),
  createBody: service.accountSchema,
  updateBody: service.updateAccountSchema,
  json: service.accountJsonSchema,
  list: service.listAccounts,
  create: service.createAccount,
  get: service.getAccount,
  update: service.updateAccount,
});
