import { defineModule } from '../../platform/define-module.ts';
import { employeeRoutes } from './employees.routes.ts';

/** Employees: the account managers customers belong to. */
export const employeesModule = defineModule({ name: 'employees', routes: employeeRoutes });
