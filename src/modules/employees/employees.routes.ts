import { pageSchema } from '../../shared/api-schemas.ts';
import { describe } from '../../platform/http/operation.ts';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { idParams, parseInput } from '../../shared/validation.ts';
import { authorize } from '../auth/policies.ts';
import * as service from './employees.service.ts';

export async function employeeRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;

  app.get(
    '/api/v1/employees',
    describe({
      tag: 'employees',
      summary: 'Employees (account managers), searchable',
      query: service.listEmployeesSchema,
      response: pageSchema(service.employeeJsonSchema),
    }),
    async (request) => {
      const actor = authorize(request.actor, 'employees:read');
      return service.listEmployees(
        db,
        actor,
        parseInput(service.listEmployeesSchema, request.query),
      );
    },
  );

  app.post(
    '/api/v1/employees',
    describe({
      tag: 'employees',
      summary: 'Add an employee',
      body: service.employeeSchema,
      response: service.employeeJsonSchema,
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'employees:write');
      const input = parseInput(service.employeeSchema, request.body);
      const employee = await db
        .transaction()
        .execute((trx) => service.createEmployee(trx, actor, input, deps.now()));
      return reply.status(201).send(employee);
    },
  );

  app.get(
    '/api/v1/employees/:id',
    describe({ tag: 'employees', summary: 'One employee', response: service.employeeJsonSchema }),
    async (request) => {
      const actor = authorize(request.actor, 'employees:read');
      return service.getEmployee(db, actor, parseInput(idParams, request.params).id);
    },
  );

  app.patch(
    '/api/v1/employees/:id',
    describe({
      tag: 'employees',
      summary: 'Change an employee',
      body: service.updateEmployeeSchema,
      response: service.employeeJsonSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'employees:write');
      const { id } = parseInput(idParams, request.params);
      const input = parseInput(service.updateEmployeeSchema, request.body);
      return db
        .transaction()
        .execute((trx) => service.updateEmployee(trx, actor, id, input, deps.now()));
    },
  );
}
