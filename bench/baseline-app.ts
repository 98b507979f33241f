/**
 * The baseline side of bench/session-bench.ts: the usual Express session stack, express-session
 * with connect-mongo, on the same database server as Tessera. Started by the runner as its own
 * process (see support/app-process.ts).
 */
import MongoStore from 'connect-mongo';
import type { Request, Response } from 'express';
import express from 'express';
import session from 'express-session';
import { MongoClient } from 'mongodb';
import {
  WRITTEN_KEY,
  countRequests,
  benchAttributes,
  benchUser,
  requiredEnv,
  serveForBench,
} from './support/app-process';

declare module 'express-session' {
  interface SessionData {
    user: ReturnType<typeof benchUser>;
    cart: typeof benchAttributes.cart;
    theme: string;
    [WRITTEN_KEY]: number;
  }
}

const mongo = new MongoClient(requiredEnv('BENCH_MONGODB_URI'));
const touchAfterSeconds = Number(requiredEnv('BENCH_TOUCH_INTERVAL_SECONDS'));
const store = MongoStore.create({
  client: mongo,
  dbName: requiredEnv('BENCH_DB_NAME'),
  collectionName: 'baseline_sessions',
  // The same as Tessera's touch interval: both skip the access-time write on most reads.
  touchAfter: touchAfterSeconds,
  // Nothing expires within a run, and FerretDB has no TTL index anyway.
  autoRemove: 'disabled',
});

const sessions = session({
  store,
  secret: 'baseline-bench-secret',
  resave: false,
  saveUninitialized: false,
  // Tessera's default idle timeout; the stored expiry slides with each touch, as Tessera's does.
  cookie: { maxAge: 30 * 60 * 1000, httpOnly: true, sameSite: 'lax' },
});

let writes = 0;

const app = express();
countRequests(app);
// The warm-up request that creates one user's session, holding the same data as on the Tessera side.
app.post('/login/:i', sessions, (req: Request<{ i: string }>, res: Response) => {
  req.session.user = benchUser(Number(req.params.i));
  req.session.cart = [...benchAttributes.cart];
  req.session.theme = benchAttributes.theme;
  res.status(204).end();
});

function readOne(req: Request, res: Response): void {
  if (!req.session.user) {
    res.status(401).end();
    return;
  }
  res.json({ cart: req.session.cart });
}

app.get('/read', sessions, readOne);
// express-session keeps no copy between requests: every read loads the whole session, so the
// full-answer read is the same request as the other one.
app.get('/read-uncached', sessions, readOne);
app.post('/write', sessions, (req: Request, res: Response) => {
  if (!req.session.user) {
    res.status(401).end();
    return;
  }
  // Saved by express-session before the response ends.
  req.session[WRITTEN_KEY] = ++writes;
  res.json({ ok: true });
});
serveForBench(app);
