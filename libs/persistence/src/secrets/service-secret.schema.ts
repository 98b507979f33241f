import { Schema } from 'mongoose';

export const SERVICE_SECRET_MODEL = 'ServiceSecret';

export interface ServiceSecretDocument {
  /** The secret's name. */
  _id: string;
  value: Buffer;
  createdAt: Date;
}

export const ServiceSecretSchema = new Schema<ServiceSecretDocument>(
  {
    _id: { type: String, required: true },
    value: { type: Buffer, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'service_secrets', versionKey: false },
);
