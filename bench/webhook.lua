-- wrk script for bench/webhook.py: posts pre-signed Twilio SMS forms, each body once (a herder's first text).
-- WEBHOOK_BODIES names a Lua file returning { {body, signature}, ... }; each wrk thread takes every
-- n-th entry from its own offset, so no two requests repeat a MessageSid.
local bodies = dofile(os.getenv("WEBHOOK_BODIES"))
local threads, counter = 0, 1

function setup(thread)
  threads = threads + 1
  thread:set("offset", threads)
end

function init(args)
  -- `offset` was set in this thread's state by setup()
  stride = tonumber(os.getenv("WEBHOOK_THREADS")) or 1
  counter = tonumber(offset) or 1
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

function request()
  local entry = bodies[((counter - 1) % #bodies) + 1]
  counter = counter + stride
  wrk.headers["X-Twilio-Signature"] = entry[2]
  return wrk.format(nil, nil, nil, entry[1])
end
