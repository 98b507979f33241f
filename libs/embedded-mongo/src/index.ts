export { startEmbeddedMongo } from './start-embedded-mongo';
export type { EmbeddedMongo, StartEmbeddedMongoOptions } from './start-embedded-mongo';
