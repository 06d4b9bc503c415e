"""Demo users and about 200 tickets over the last 8 weeks. Idempotent: a
second run keeps everything and adds nothing."""

import logging
import os
import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from guide.models import FaqCategory
from guide.triage import Suggestion
from tickets import actions, roles
from tickets.demo_messages import MESSAGES, NAMES, PREFIXES, SUFFIXES
from tickets.models import Channel, College, DeskProfile, Ticket, TicketEvent

COUNT = 200
REFERRALS = [m for m in MESSAGES if m[1] == "refer_college"]
TEACHER_COLLEGE = "sice"
DEFAULT_PASSWORD = "demo-2026"


class Command(BaseCommand):
    help = "Create demo users (desk, teacher, viewer, admin) and ~200 demo tickets; safe to rerun."

    def handle(self, *args, **options):
        # Eager Celery logs every demo mail task; the desk wants the logins, not 40 lines of that.
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        users = self.users(password)
        created = self.tickets(users)
        self.stdout.write(
            self.style.SUCCESS(
                f"demo data: {created} tickets added, {Ticket.objects.count()} in all"
            )
        )
        college = College.objects.get(code=TEACHER_COLLEGE).name
        self.stdout.write(
            f"demo logins, password {password!r} (set on first run; DEMO_PASSWORD overrides):\n"
            "  desk     desk staff: logs and handles every ticket\n"
            f"  teacher  admissions teacher of {college}: that college's tickets only\n"
            "  viewer   report viewer: weekly reports\n"
            "  admin    administrator: everything, and /admin/"
        )

    def users(self, password):
        User = get_user_model()
        spec = [
            ("desk", roles.DESK, "desk@example.edu.cn", False),
            ("teacher", roles.COLLEGE_TEACHER, "teacher@example.edu.cn", False),
            ("viewer", roles.REPORT_VIEWER, "viewer@example.edu.cn", False),
            ("admin", None, "admin@example.edu.cn", True),
        ]
        users = {}
        for username, group, email, admin in spec:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"email": email, "is_staff": admin, "is_superuser": admin},
            )
            if created:
                user.set_password(password)
                user.save()
            if group:
                user.groups.add(Group.objects.get_or_create(name=group)[0])
            users[username] = user
        DeskProfile.objects.get_or_create(
            user=users["teacher"], defaults={"college": College.objects.get(code=TEACHER_COLLEGE)}
        )
        return users

    # A dummy mail backend: demo escalations must not print 50 mails at start-up.
    @override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    def tickets(self, users):
        existing = set(
            Ticket.objects.filter(source_key__startswith="demo-").values_list(
                "source_key", flat=True
            )
        )
        answers = {c.code: c for c in FaqCategory.objects.all()}
        colleges = list(College.objects.all())
        teacher_college = College.objects.get(code=TEACHER_COLLEGE)
        desk = users["desk"]
        rng = random.Random(20260301)
        now = timezone.now()
        created = 0
        for i in range(COUNT):
            # Draw every value even for existing rows so each index always gets the same ticket.
            # Every 18th is a referral for the demo teacher's college, so they have work to do.
            pool = REFERRALS if i % 18 == 0 else MESSAGES
            category, route, text = rng.choice(pool)
            text = rng.choice(PREFIXES) + text + rng.choice(SUFFIXES)
            age = timedelta(minutes=rng.randint(10, 56 * 24 * 60))
            college = teacher_college if i % 9 == 0 else rng.choice(colleges + [None])
            channel = rng.choice(Channel.values)
            number = "10614" + "".join(rng.choice("0123456789") for _ in range(10))
            phone = rng.choice("3456789") + "".join(rng.choice("0123456789") for _ in range(9))
            name = rng.choice(NAMES)
            confidence = round(rng.uniform(0.45, 0.97), 2)
            fate = rng.random()
            key = f"demo-{i:03d}"
            if key in existing:
                continue
            faq = answers.get(category)
            suggestion = Suggestion(
                category=category,
                route=route,
                confidence=confidence,
                evidence=[
                    w for w in ("验证码", "激活", "密码", "鸿蒙", "群", "手机号") if w in text
                ][:3],
                reply=faq.answer_for(route) if faq else "",
            )
            with transaction.atomic():
                ticket = actions.create_ticket(
                    actor=desk,
                    text=text,
                    channel=channel,
                    candidate_number=number if rng.random() < 0.8 else "",
                    candidate_name=name,
                    college=college,
                    contact_phone="1" + phone,
                    suggestion=suggestion,
                    created_at=now - age,
                    source_key=key,
                    assignee=desk,
                )
                self.advance(ticket, desk, users["teacher"], route, age, fate)
                self.backdate(ticket)
            created += 1
        return created

    def advance(self, ticket, desk, teacher, route, age, fate):
        """Move a ticket along its lifecycle as the desk would have; older ones further."""
        recent = age < timedelta(days=10)
        if recent and fate < 0.35:
            return  # still new
        if route == "escalate":
            ticket = actions.perform("escalate", actor=desk, ticket=ticket)
        elif route == "refer_college" and ticket.college_id:
            ticket = actions.perform("refer", actor=desk, ticket=ticket, note="请学院招生老师跟进")
            if (
                not recent
                and fate < 0.7
                and ticket.college_id == getattr(teacher.desk_profile.college, "pk", None)
            ):
                actions.perform(
                    "resolve", actor=teacher, ticket=ticket, note="已联系考生并拉入学院群"
                )
            elif not recent and fate < 0.7:
                actions.perform("resolve", actor=desk, ticket=ticket, note="学院已处理")
            return
        elif route != "manual":
            ticket = actions.perform(
                "answer", actor=desk, ticket=ticket, reply_text=ticket.reply_text or "已答复"
            )
        if recent or fate > 0.85:
            return
        if fate < 0.6:
            actions.perform("resolve", actor=desk, ticket=ticket, note="考生确认已解决")
        else:
            actions.perform("close", actor=desk, ticket=ticket, note="考生未再回复")

    def backdate(self, ticket):
        """Events happened after the ticket was logged, not at demo-load time."""
        start = Ticket.objects.values_list("created_at", flat=True).get(pk=ticket.pk)
        now = timezone.now()
        when = start
        first_answer = resolved = None
        for event in TicketEvent.objects.filter(ticket=ticket).order_by("id"):
            if event.kind != "created":
                when = min(when + timedelta(minutes=random.Random(event.pk).randint(3, 600)), now)
            TicketEvent.objects.filter(pk=event.pk).update(created_at=when)
            if event.kind == "answered" and first_answer is None:
                first_answer = when
            if event.kind in ("resolved", "closed") and resolved is None:
                resolved = when
        Ticket.objects.filter(pk=ticket.pk).update(
            first_answered_at=first_answer, resolved_at=resolved, updated_at=when
        )
