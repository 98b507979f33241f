export * from './persistence.module';
export * from './principal/mongo-principal-store';
export * from './principal/principal.schema';
export type * from './principal/principal.document';
export * from './write-guard/write-guard';
export type { WriteClaimsMode } from './write-guard/choose-write-guard';
export * from './write-guard/claim-sweeper';
