from django.core.management.base import BaseCommand

from civicpost.people import demo


class Command(BaseCommand):
    help = "Load the fictitious demo ministry if the database holds no organisation yet."

    def handle(self, *args: object, **options: object) -> None:
        if demo.load_demo():
            self.stdout.write(
                self.style.SUCCESS(f"Loaded the demo organisation {demo.ORGANISATION_NAME}.")
            )
        else:
            self.stdout.write("The database already holds an organisation; demo data not loaded.")
