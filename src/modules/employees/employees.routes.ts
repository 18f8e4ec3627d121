import { pageSchema } from '../../shared/api-schemas.ts';
import { namedRecordRoutes } from '../named-records/named-record.routes.ts';
import * as service from './employees.service.ts';

/** Employees (account managers): list and search, add, read one, change. */
export const employeeRoutes = namedRecordRoutes({
  path: '/api/v1/employees',
  tag: 'employees',
  read: 'employees:read',
  write: 'employees:write',
  summaries: {
    list: 'Employees (account managers), searchable',
    create: 'Add an employee',
    get: 'One employee',
    update: 'Change an employee',
  },
  listQuery: service.listEmployeesSchema,
  listResponse: pageSchema(service.employeeJsonSchema),
  createBody: service.employeeSchema,
  updateBody: service.updateEmployeeSchema,
  json: service.employeeJsonSchema,
  list: service.listEmployees,
  create: service.createEmployee,
  get: service.getEmployee,
  update: service.updateEmployee,
});
