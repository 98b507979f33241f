import { Schema } from 'mongoose';

export const APP_GENERATION_MODEL = 'AppGeneration';

/** The one document `{ _id: 'apps', generation }`: moved by every change to any app. */
export interface AppGenerationDocument {
  _id: string;
  generation: number;
}

export const AppGenerationSchema = new Schema<AppGenerationDocument>(
  {
    _id: { type: String, required: true },
    generation: { type: Number, required: true },
  },
  { collection: 'app_generation', versionKey: false },
);
