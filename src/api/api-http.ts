// HTTP behaviour shared by the open API's GET routes: CORS for reads and conditional requests (being built).
import type { FastifyInstance } from 'fastify';

/** Called on the root instance before any route is registered, so its hooks see every request. */
export function registerApiHttp(_app: FastifyInstance): void {}
