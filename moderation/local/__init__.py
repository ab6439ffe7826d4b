"""Process plumbing for `moderation up`: a private Redis, the processes it runs, their cleanup."""
